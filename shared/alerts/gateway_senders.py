"""The WhatsApp and SMS senders: the site's gateway for the channel (or the env default), one POST.

No gateway at all (an offline LAN, nothing set up) fails the message quietly: it stays visible
on the admin page with "no gateway for whatsapp", and an info line is logged, not a warning.
The phone number never appears in an error or a log line: a gateway echoing it is masked.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from shared.alerts.gateways import render_body, route_for
from shared.alerts.sending import SENDERS
from shared.alerts.subscriptions import mask_phone
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import OutboxMessage
from shared.outbox.delivery import Fail, Retry, post

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _sessions(database_url: str) -> sessionmaker:
    """The sender reads the gateway at delivery (a changed token applies to waiting messages)."""
    return make_session_factory(make_engine(database_url))


def _scrub(reason: str, phone: str) -> str:
    """The reason without the number, in any form a gateway might echo it (+62…, 62…, 08…)."""
    digits = phone.lstrip("+")
    local = "0" + digits[2:] if digits.startswith("62") else digits
    for form in sorted({phone, digits, local}, key=len, reverse=True):
        reason = re.sub(re.escape(form), mask_phone(phone), reason)
    return reason


def send_by_gateway(message: OutboxMessage, text: str, config: Config) -> int | None:
    payload = message.payload
    channel = payload.get("channel", "")
    phone = payload.get("to")
    if not phone:
        raise Fail(f"no phone number for {channel} (erased)")
    with _sessions(config.database_url)() as session:
        route = route_for(session, message.site_id, channel, config, payload.get("gateway_id"))
        session.rollback()  # a read only: end it before the HTTP call (SQLite's write lock)
    if route is None:
        log.info("alert %s: no gateway for %s, not sent", message.uid, channel)
        raise Fail(f"no gateway for {channel}", quiet=True)
    link = config.public_url.rstrip("/") + payload.get("link_path", "")
    values = {
        "id": message.uid,
        "to": phone,
        "to_digits": phone.lstrip("+"),
        "channel": channel,
        "text": text,
        "ticket": payload.get("ticket") or "",
        "link": link if payload.get("link_path") else "",
    }
    body, content_type = render_body(route, values)
    headers = {"Content-Type": content_type, "X-Antre-Message-Id": message.uid, **route.headers}
    try:
        return post(route.url, headers=headers, content=body)
    except Retry as outcome:
        raise Retry(
            _scrub(str(outcome), phone), status=outcome.status, after=outcome.after
        ) from None
    except Fail as outcome:
        raise Fail(_scrub(str(outcome), phone), status=outcome.status) from None


SENDERS["whatsapp"] = send_by_gateway
SENDERS["sms"] = send_by_gateway
