"""The outbox handler "bpjs": sign, send, read BPJS's answer; its refusals kept with its message.

The bridge is read at delivery (credentials unsealed only here, in memory): a bridge turned off
since fails the message for good, with the reason kept and a retry offered on the BPJS page.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy.orm import sessionmaker

from shared.bpjs import client
from shared.bpjs.antrean import personal_fields
from shared.bpjs.bridges import active_bridge, credentials
from shared.bpjs.outbound import KIND
from shared.bpjs.sealing import Unreadable
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import OutboxMessage
from shared.outbox import Fail, Handler, register

# BPJS's answer to a task it already holds (our earlier attempt arrived, its answer did not):
# the task is there, so the message counts as delivered. Wording from public implementations.
ALREADY_THERE = ("sudah ada", "sudah terdaftar", "already")


@cache
def _sessions(database_url: str) -> sessionmaker:
    return make_session_factory(make_engine(database_url))


def _prepare(message: OutboxMessage, config: Config) -> tuple[client.Credentials, dict]:
    body = dict(message.payload["body"])
    with _sessions(config.database_url)() as session:
        bridge = active_bridge(session, message.site_id)
        if bridge is None:
            session.rollback()
            raise Fail("BPJS bridge turned off: not sent")
        try:
            found = credentials(bridge, config)
        except Unreadable as error:
            raise Fail(str(error)) from error
        personal = message.payload.get("personal")
        if personal:  # True: all four (antrean/add); a list: those fields only
            names = personal if isinstance(personal, list) else None
            body.update(personal_fields(session, message.payload["visit_id"], names))
        session.rollback()
    return found, body


def deliver(message: OutboxMessage, config: Config) -> int:
    found, body = _prepare(message, config)
    try:
        answer = client.call(found, "POST", message.payload["endpoint"], body)
    except Fail as refusal:
        if any(w in str(refusal).lower() for w in ALREADY_THERE):
            return 200
        raise
    return answer.status


def provider(message: OutboxMessage) -> str:
    return f"bpjs:{message.site_id}"


BPJS = register(Handler(kind=KIND, deliver=deliver, provider=provider, rate="10/second"))
