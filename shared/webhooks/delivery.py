"""The outbox handler "webhook": sign the event and POST it to the webhook's URL.

The body is built here from the stored payload and the message's ``uid`` (its "id"), so a retry
or a replay is byte-for-byte the same event, recognisable by the receiver. The webhook is read
at delivery: one removed or disabled since the event fails for good, with the reason kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from functools import cache

from sqlalchemy.orm import sessionmaker

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import OutboxMessage, Webhook
from shared.outbox import Fail, Handler, register
from shared.outbox.delivery import post
from shared.webhooks.record import KIND


@cache
def _sessions(database_url: str) -> sessionmaker:
    """One engine per database for the handler's short reads (the relay's threads share it)."""
    return make_session_factory(make_engine(database_url))


def body_of(message: OutboxMessage) -> bytes:
    stored = message.payload
    event = {"id": message.uid, **{k: stored[k] for k in ("event", "site", "occurred_at")}}
    event["data"] = stored["data"]
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`` (docs/webhooks.md)."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _target(message: OutboxMessage, config: Config) -> tuple[str, str]:
    with _sessions(config.database_url)() as session:
        webhook = session.get(Webhook, message.ref_id) if message.ref_id else None
        target = (webhook.url, webhook.secret) if webhook and webhook.active else None
        session.rollback()
    if webhook is None:
        raise Fail("webhook removed: not delivered")
    if target is None:
        raise Fail("webhook disabled: not delivered")
    return target


def deliver(message: OutboxMessage, config: Config) -> int:
    url, secret = _target(message, config)
    body = body_of(message)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Antre-Webhook/1",
        "X-Antre-Event": message.payload["event"],
        "X-Antre-Delivery": message.uid,
        "X-Antre-Timestamp": timestamp,
        "X-Antre-Signature": signature(secret, timestamp, body),
    }
    return post(url, headers=headers, content=body)


def provider(message: OutboxMessage) -> str:
    """The rate limit is per receiving host (a slow integrator does not hold back another)."""
    return f"webhook:{message.payload.get('host') or message.ref_id}"


WEBHOOK = register(Handler(kind=KIND, deliver=deliver, provider=provider, rate="20/second"))
