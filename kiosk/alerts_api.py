"""``POST /kiosk/api/tickets/<code>/notify``: after the ticket, the citizen types a WhatsApp (or
SMS) number on the kiosk's keypad to be told when the turn is near and at the call.

Authenticated like taking a ticket (the kiosk's token, or the demo kiosk), and only for a ticket
of the kiosk's own site. Push is not offered here: it belongs to the phone's own browser (the
ticket page). The number goes in; only its masked form comes back.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, jsonify
from pydantic import Field

from kiosk.identity import current_kiosk
from kiosk.ticket_answer import protect
from shared.alerts import mask_phone, subscribe_alerts
from shared.queue.errors import N_, NotFound
from shared.queue.position import latest_in_visit
from shared.ticket_status import find_ticket_by_code
from shared.web import csrf
from shared.web.database import get_session
from shared.web.inputs import Body, parse_body
from shared.web.limits import code_lookup, limiter

bp = Blueprint("kiosk_alerts", __name__, url_prefix="/kiosk/api")
csrf.exempt(bp)  # checked in protect(): the CSRF token with the cookie, none with the header


class KioskAlertRequest(Body):
    channel: Literal["whatsapp", "sms"] = "whatsapp"
    phone: Annotated[str, Field(min_length=1, max_length=30)]
    language: Literal["id", "en"] = "id"
    hints: ClassVar[dict[str, str]] = {
        "channel": N_("channel must be whatsapp or sms."),
        "phone": N_("phone must be a mobile number like 0812 3456 7890."),
    }


@bp.post("/tickets/<code>/notify")
@limiter.limit("30/minute")
@code_lookup
def notify(code: str):
    session = get_session()
    kiosk, source = current_kiosk(session)
    protect(source)
    asked = parse_body(KioskAlertRequest)
    ticket = latest_in_visit(find_ticket_by_code(session, code))
    if ticket.service.site_id != kiosk.site_id:
        raise NotFound(N_("Unknown ticket."))  # another site's ticket is none of this kiosk's
    subscription = subscribe_alerts(
        session, ticket, asked.channel, phone=asked.phone, language=asked.language
    )
    session.commit()
    return jsonify({"channel": subscription.channel, "to": mask_phone(subscription.phone)}), 201
