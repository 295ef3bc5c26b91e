"""Work a long-running server does on a schedule: purging personal data past retention."""

from __future__ import annotations

import logging

from flask import Flask

from shared.booking import purge_booking_data
from shared.web import socketio_of
from shared.web.database import database

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600


def purge_once(app: Flask) -> int:
    with database(app).session_factory() as session:
        count = purge_booking_data(session)
        session.commit()
    return count


def _loop(app: Flask) -> None:
    socketio = socketio_of(app)
    while True:
        try:
            count = purge_once(app)
            if count:
                log.info("purged personal data of %d bookings", count)
        except Exception:  # a failed round is retried next hour; the server keeps serving
            log.exception("purge failed")
        socketio.sleep(INTERVAL_SECONDS)


def start(app: Flask) -> None:
    """Run the purge now and every hour, in the server's own async mode (a greenlet)."""
    socketio_of(app).start_background_task(_loop, app)
