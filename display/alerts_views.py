"""``POST /t/<code>/notify``: the citizen asks to be told by WhatsApp, SMS or push.

Public like the ticket page (the code in the link is the secret), CSRF-exempt and rate limited;
the phone goes in, and only its masked form comes back.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, current_app, jsonify
from pydantic import Field

from shared.alerts import mask_phone, subscribe_alerts, unsubscribe_alerts
from shared.alerts.channels import check_channel
from shared.queue.errors import N_
from shared.queue.position import latest_in_visit
from shared.queue.sites import get_site
from shared.ticket_status import find_ticket_by_code
from shared.web import csrf
from shared.web.database import get_session
from shared.web.inputs import Body, parse_body
from shared.web.limits import code_lookup, limiter

bp = Blueprint("ticket_alerts", __name__)
csrf.exempt(bp)
LIMIT = "10/minute"


class PushKeys(Body):
    p256dh: Annotated[str, Field(min_length=1, max_length=200)]
    auth: Annotated[str, Field(min_length=1, max_length=200)]


class PushSubscription(Body):
    endpoint: Annotated[str, Field(min_length=8, max_length=1000)]
    keys: PushKeys


class AlertRequest(Body):
    channel: Literal["whatsapp", "sms", "push"]
    phone: Annotated[str, Field(max_length=30)] | None = None
    subscription: PushSubscription | None = None
    language: Literal["id", "en"] = "id"
    hints: ClassVar[dict[str, str]] = {
        "channel": N_("channel must be whatsapp, sms or push."),
        "phone": N_("phone must be a mobile number like 0812 3456 7890."),
        "subscription": N_("subscription must be this browser's push subscription."),
    }


class StopRequest(Body):
    channel: Literal["whatsapp", "sms", "push"]
    hints: ClassVar[dict[str, str]] = {"channel": AlertRequest.hints["channel"]}


@bp.post("/t/<code>/notify")
@limiter.limit(LIMIT)
@code_lookup
def notify(code: str):
    data = parse_body(AlertRequest)
    session = get_session()
    ticket = latest_in_visit(find_ticket_by_code(session, code))
    # Only a channel that works here (a gateway for WhatsApp/SMS, Web Push for push): else 409.
    site = get_site(session, ticket.service.site_id)
    check_channel(session, site, current_app.config["ANTRE"], data.channel)
    subscription = subscribe_alerts(
        session,
        ticket,
        data.channel,
        phone=data.phone,
        push=data.subscription.model_dump() if data.subscription else None,
        language=data.language,
    )
    session.commit()
    return jsonify({"channel": subscription.channel, "to": mask_phone(subscription.phone)}), 201


@bp.post("/t/<code>/notify/stop")
@limiter.limit(LIMIT)
@code_lookup
def stop(code: str):
    data = parse_body(StopRequest)
    session = get_session()
    unsubscribe_alerts(session, find_ticket_by_code(session, code), data.channel)
    session.commit()
    return jsonify({"channel": data.channel, "stopped": True})
