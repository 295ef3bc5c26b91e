"""Personal data is purged on schedule by the server itself (run.py), not only by `antre purge`.

The purge's rules are tested in tests/shared/test_booking.py and the command in tests/web; here
the embedded default's housekeeping: it purges at start and then every INTERVAL_SECONDS.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select

from shared import timeutil
from shared.models import Booking, Service, Site
from shared.web import housekeeping, socketio_of
from shared.web.database import database


def add_booking(session, code: str, days_ago: int) -> None:
    mall = session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
    service = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
    day = timeutil.business_date(timeutil.now_utc(), mall.timezone) - timedelta(days=days_ago)
    session.add(
        Booking(
            code=code,
            service_id=service.id,
            day=day,
            start="09:00",
            end="09:30",
            name="Siti Rahayu",
            phone="081234567890",
        )
    )


def test_the_server_purges_at_start_and_then_every_hour(app, monkeypatch):
    with database(app).session_factory() as session:
        retention = session.execute(
            select(Site.booking_retention_days).where(Site.slug == "mpp-tebo")
        ).scalar_one()
        add_booking(session, "OLDBKG23", days_ago=retention + 1)
        add_booking(session, "NEWBKG23", days_ago=retention - 1)
        session.commit()
    slept, forever = [], threading.Event()

    def sleep(seconds):  # the hour between rounds: note it, and never wake (a daemon thread)
        slept.append(seconds)
        forever.wait()

    monkeypatch.setattr(socketio_of(app), "sleep", sleep)
    housekeeping.start(app)
    for _ in range(200):  # until the first round is over (it runs in the background)
        if slept:
            break
        time.sleep(0.05)
    assert slept == [housekeeping.INTERVAL_SECONDS] == [3600]
    with database(app).session_factory() as session:
        rows = session.execute(select(Booking.code, Booking.name, Booking.phone)).all()
    contacts = {code: (name, phone) for code, name, phone in rows}
    assert contacts["OLDBKG23"] == (None, None)
    assert contacts["NEWBKG23"] == ("Siti Rahayu", "081234567890")


def add_identity(session, erase_after) -> int:
    """A visit at the demo mall with a patient identity kept until ``erase_after``."""
    from shared import queue
    from shared.models import PatientIdentity

    service = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
    ticket = queue.issue_ticket(session, service.id, check_availability=False)
    session.add(
        PatientIdentity(
            visit_id=ticket.visit_id,
            card_number="0001234567890",
            nik="1505015708900001",
            erase_after=erase_after,
        )
    )
    session.commit()
    return ticket.visit_id


def test_each_round_also_erases_patient_identities_past_their_date(app):
    from shared.models import PatientIdentity

    with database(app).session_factory() as session:
        mall = session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        today = timeutil.business_date(timeutil.now_utc(), mall.timezone)
        add_identity(session, today - timedelta(days=1))
        kept = add_identity(session, today)  # its last day: kept until tomorrow
    housekeeping.purge_once(app)
    with database(app).session_factory() as session:
        left = session.execute(select(PatientIdentity.visit_id)).scalars().all()
    assert left == [kept]
