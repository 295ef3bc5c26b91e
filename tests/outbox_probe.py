"""A test handler for the outbox: POSTs the message to the URL in its payload (importable by a
relay running in another process)."""

from __future__ import annotations

import json
import sys
import threading

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.outbox import Handler
from shared.outbox.delivery import post
from shared.outbox.relay import Relay


def _deliver(message, config) -> int:
    body = json.dumps({"id": message.uid, "payload": message.payload}).encode()
    return post(
        message.payload["url"],
        headers={"Content-Type": "application/json", "X-Outbox-Id": message.uid},
        content=body,
    )


PROBE = Handler(kind="probe", deliver=_deliver, rate="1000/second")


def relay_for(url: str, **kw) -> Relay:
    return Relay(make_session_factory(make_engine(url)), Config(), handlers={"probe": PROBE}, **kw)


if __name__ == "__main__":  # python -m tests.outbox_probe <database url>: a relay until killed
    relay_for(sys.argv[1]).run_forever(threading.Event(), 0.05)
