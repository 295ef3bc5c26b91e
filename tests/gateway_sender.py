"""A stand-in WhatsApp/SMS sender for tests and benchmarks: the documented default gateway body.

Main has no sender for ``whatsapp``/``sms`` yet (``shared.alerts.sending.SENDERS`` is empty); this
one POSTs ``{"id", "to", "channel", "text", "ticket"}`` as JSON to ``ANTRE_NOTIFY_GATEWAY_URL``,
exactly what the real default gateway sends, and steps aside (``setdefault``) once a real sender
is registered. Processes that deliver alerts must have it installed, hence the launchers:

    python -m tests.gateway_sender run --port 5099      # run.py, in-process relay
    python -m tests.gateway_sender antre outbox work    # the scale-out's worker

``ANTRE_TEST_OUTBOX_LEASE_SECONDS`` shortens the lease (60 s) so that a test need not wait a
minute for a killed worker's messages; ``ANTRE_TEST_ALERT_RATE`` (e.g. ``1000/second``) replaces
the alerts' rate limit, to tell in a benchmark what the limit costs from what the relay does.
"""

from __future__ import annotations

import json
import os
import sys


def send(message, text: str, config) -> int | None:
    from shared.outbox.delivery import Fail, post

    if not config.notify_gateway_url:
        raise Fail("no gateway configured (ANTRE_NOTIFY_GATEWAY_URL)")
    payload = message.payload
    body = {
        "id": message.uid,
        "to": payload["to"],
        "channel": payload["channel"],
        "text": text,
        "ticket": payload["ticket"],
    }
    return post(
        config.notify_gateway_url,
        headers={"Content-Type": "application/json"},
        content=json.dumps(body).encode(),
    )


def install() -> None:
    """Register the sender for WhatsApp and SMS unless a real one already is."""
    from shared.alerts.sending import SENDERS

    for channel in ("whatsapp", "sms"):
        SENDERS.setdefault(channel, send)
    rate = os.environ.get("ANTRE_TEST_ALERT_RATE")
    if rate:
        from dataclasses import replace

        from shared.outbox.delivery import HANDLERS, register

        register(replace(HANDLERS["alert"], rate=rate))
    lease = os.environ.get("ANTRE_TEST_OUTBOX_LEASE_SECONDS")
    if lease:
        from datetime import timedelta

        from shared.outbox import store

        store.LEASE = timedelta(seconds=float(lease))


def _run(argv: list[str]) -> None:
    if os.environ.setdefault("ANTRE_ASYNC_MODE", "gevent") == "gevent":
        from gevent import monkey  # as run.py: before anything imports socket or threading

        monkey.patch_all()
    install()
    import run

    run.main(argv)


def _antre(argv: list[str]) -> None:
    install()
    from shared.cli import main

    main.main(args=argv, prog_name="antre")


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    {"run": _run, "antre": _antre}[command](rest)
