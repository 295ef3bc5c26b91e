"""Booking a place in a doctor's session: one place per booking, given back on cancel, and a
check-in that goes straight into the poli queue of that session without taking a second place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import booking, queue
from shared.booking import errors
from shared.booking.sessions import SessionEnded
from shared.models import Booking
from shared.queue import doctors
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
DAY = NOW.date()


@pytest.fixture
def rs(factory):
    return build_hospital(factory, capacity=3, quota_jkn=2)


def _session(session, rs, day=DAY):
    return doctors.sessions_for_day(session, rs.poli, day)[0]


def test_a_booking_takes_one_place_of_its_payers_quota(session, rs):
    held = _session(session, rs)
    made = booking.book_doctor_session(session, held.id, "jkn", name="Siti", now=NOW)
    assert (made.service_id, made.day, made.start, made.end) == (rs.poli.id, DAY, "00:00", "23:59")
    assert (made.doctor_session_id, made.payer) == (held.id, "jkn")
    assert (held.quota_jkn_left, held.quota_nonjkn_left) == (1, 1)
    assert held.last_number == 0  # the number comes at check-in, in order of arrival

    booking.book_doctor_session(session, held.id, "jkn", now=NOW)
    with pytest.raises(doctors.SessionFull):
        booking.book_doctor_session(session, held.id, "jkn", now=NOW)
    assert held.quota_jkn_left == 0 and held.quota_nonjkn_left == 1


def test_cancelling_gives_the_place_back(session, rs):
    held = _session(session, rs)
    made = booking.book_doctor_session(session, held.id, "umum", now=NOW)
    assert held.quota_nonjkn_left == 0
    booking.cancel_booking(session, made.code, now=NOW)
    session.refresh(held)
    assert held.quota_nonjkn_left == 1
    booking.cancel_booking(session, made.code, now=NOW)  # twice changes nothing
    session.refresh(held)
    assert held.quota_nonjkn_left == 1 and made.status == Booking.CANCELLED


def test_check_in_goes_straight_to_the_poli_with_the_session_number(session, rs):
    held = _session(session, rs)
    made = booking.book_doctor_session(session, held.id, "jkn", now=NOW)
    walk_in = queue.issue_ticket(
        session, rs.poli.id, payer="jkn", doctor_session_id=held.id, now=NOW
    )
    assert walk_in.service_id == rs.reg_jkn.id and walk_in.visit.session_number == 1
    assert held.quota_jkn_left == 0  # the booking's place and the walk-in's

    ticket = booking.check_in_booking(session, made.code, now=NOW + timedelta(minutes=5))
    assert ticket.service_id == rs.poli.id  # no registration queue for a booked patient
    assert ticket.source == "booking"
    assert ticket.doctor_session_id == held.id
    assert ticket.visit.doctor_session_id == held.id and ticket.visit.payer == "jkn"
    assert ticket.visit.session_number == 2
    assert ticket.display_number == f"{rs.poli.prefix}-002"
    session.refresh(held)
    assert (held.taken_jkn, held.taken_nonjkn, held.last_number) == (2, 0, 2)  # one place each


def test_another_days_session_and_an_ended_one(session, rs, factory):
    tomorrow = _session(session, rs, DAY + timedelta(days=1))
    made = booking.book_doctor_session(session, tomorrow.id, "umum", now=NOW)
    with pytest.raises(errors.BookingWrongDay):
        booking.check_in_booking(session, made.code, now=NOW)
    late = NOW.replace(hour=16, minute=59, second=30)  # 23:59.30 WIB: the session has ended
    with pytest.raises(SessionEnded):
        booking.book_doctor_session(session, _session(session, rs).id, "jkn", now=late)


def test_a_poli_with_doctors_is_bookable_on_its_practice_days(session, rs):
    services = booking.bookable_services(session, rs.site)
    assert rs.poli in services and rs.reg_jkn not in services
    days = booking.bookable_days(session, rs.site, rs.poli, NOW)
    assert days[0] == DAY and len(days) == rs.site.booking_horizon_days + 1


def test_on_postgresql_a_booking_and_its_check_in_take_one_place(pg_url):
    """The same flow on PostgreSQL: sessions made for several polis at once (INSERT … ON
    CONFLICT), a booked place, a check-in that only numbers it."""
    from shared.db import make_engine, make_session_factory
    from tests.factories import Factory

    engine = make_engine(pg_url)
    try:
        with make_session_factory(engine)() as session:
            hospital = build_hospital(Factory(session), capacity=3, quota_jkn=2)
            found = doctors.sessions_for_services(session, [hospital.reg_jkn, hospital.poli], DAY)
            assert list(found) == [hospital.poli.id]
            held = found[hospital.poli.id][0]
            again = doctors.sessions_for_services(session, [hospital.poli], DAY)
            assert [s.id for s in again[hospital.poli.id]] == [held.id]  # made once
            made = booking.book_doctor_session(session, held.id, "umum", now=NOW)
            session.commit()
            ticket = booking.check_in_booking(session, made.code, now=NOW)
            session.commit()
            assert ticket.service_id == hospital.poli.id and ticket.visit.session_number == 1
            session.refresh(held)
            assert (held.taken_jkn, held.taken_nonjkn, held.last_number) == (0, 1, 1)
    finally:
        engine.dispose()
