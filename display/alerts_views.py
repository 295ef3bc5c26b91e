"""``POST /t/<code>/notify``: the citizen asks to be told by WhatsApp, SMS or push.

Public like the ticket page (the code in the link is the secret), CSRF-exempt and rate limited;
the phone goes in, and only its masked form comes back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, ClassVar, Literal

from flask import Blueprint, current_app, jsonify, send_from_directory
from flask_babel import gettext
from pydantic import Field

from shared.alerts import mask_phone, subscribe_alerts, unsubscribe_alerts
from shared.alerts.channels import check_channel
from shared.alerts.push import PushKeyError, public_key
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
WORKER_FOLDER = Path(__file__).resolve().parent / "static" / "display"


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


@bp.get("/t/push-key")
def push_key():
    """The VAPID public key this server signs its pushes with (the browser subscribes with it)."""
    try:
        key = public_key(current_app.config["ANTRE"])
    except (PushKeyError, OSError):
        current_app.logger.exception("no VAPID key: push alerts are off")
        message = gettext("Notifications to this phone are not available on this server.")
        return jsonify({"error": "push_unavailable", "message": message}), 503
    response = jsonify({"public_key": key})
    response.cache_control.max_age = 3600
    return response


@bp.get("/t/sw.js")
def service_worker():
    """The ticket page's service worker, served under /t/ so that its scope covers every
    ticket page (it shows the pushed alert on a locked phone)."""
    response = send_from_directory(WORKER_FOLDER, "sw.js", mimetype="text/javascript", max_age=0)
    response.cache_control.no_cache = True  # a new worker reaches phones at their next visit
    response.headers["Service-Worker-Allowed"] = "/t/"
    return response
