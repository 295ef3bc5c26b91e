"""The embedded server's own outbox relay (ANTRE_OUTBOX_RELAY=inprocess, the default)."""

from __future__ import annotations

import threading

from flask import Flask

from shared.outbox.relay import Relay, rate_storage_for
from shared.web import socketio_of
from shared.web.database import database


def start(app: Flask) -> threading.Event | None:
    """Start delivering in the server's async mode (greenlets under gevent: an OS thread of
    its own would share gevent's objects across hubs); the event it returns stops the relay."""
    config = app.config["ANTRE"]
    if config.outbox_relay != "inprocess":
        return None
    relay = Relay(database(app).session_factory, config, rate_storage=rate_storage_for(config))
    stop = threading.Event()
    socketio_of(app).start_background_task(relay.run_forever, stop, config.outbox_poll_seconds)
    return stop
