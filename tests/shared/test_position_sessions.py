"""People ahead in a poli whose queue is per doctor's session: a session ticket counts only the
tickets its doctor's room would call before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import queue
from shared.models import Counter, Doctor, DoctorSchedule
from shared.queue import doctors
from shared.queue.position import queue_positions, ticket_position
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.fixture
def rs(factory, session):
    rs = build_hospital(factory)
    second = Doctor(site_id=rs.site.id, service=rs.poli, name="dr. Dua", bpjs_code="1003")
    second.schedules = [
        DoctorSchedule(weekday=d, start="00:00", end="23:59", capacity=30, quota_jkn=24)
        for d in range(7)
    ]
    session.add(second)
    session.flush()
    rs.second = second
    # The poli's counter from build_hospital becomes the first doctor's room; the second
    # doctor gets a room of their own.
    rs.room_one = rs.poli.counters[0]
    rs.room_one.doctor_id = rs.doctor.id
    rs.room_two = factory.counter([rs.poli], doctor_id=second.id)
    return rs


def _session_of(session, rs, doctor):
    rows = doctors.sessions_for_day(session, rs.poli, NOW.date())
    return next(row for row in rows if row.doctor_id == doctor.id)


def _booked(session, rs, doctor, minutes: int):
    """A checked-in booking straight into ``doctor``'s session queue."""
    return queue.issue_ticket(
        session,
        rs.poli.id,
        source="booking",
        payer="jkn",
        doctor_session_id=_session_of(session, rs, doctor).id,
        now=NOW + timedelta(minutes=minutes),
    )


def test_a_session_ticket_counts_only_its_doctors_queue(session, rs):
    one_a = _booked(session, rs, rs.doctor, 0)
    two_a = _booked(session, rs, rs.second, 1)
    one_b = _booked(session, rs, rs.doctor, 2)
    two_b = _booked(session, rs, rs.second, 3)
    assert one_b.doctor_session_id != two_b.doctor_session_id
    # Per session numbers: each doctor's second patient is number 2 of that session.
    assert one_b.display_number.endswith("-002") and two_b.display_number.endswith("-002")
    ahead = {t.id: ticket_position(session, t).people_ahead for t in (one_a, two_a, one_b, two_b)}
    assert ahead == {one_a.id: 0, two_a.id: 0, one_b.id: 1, two_b.id: 1}
    # The whole queue at once (the /ticket events) says the same.
    placed = queue_positions(session, rs.poli, NOW.date())
    assert dict(zip(placed.order, placed.people_ahead, strict=True)) == ahead


def test_the_order_matches_what_the_doctors_room_calls(session, rs):
    tickets = [_booked(session, rs, doc, i) for i, doc in enumerate([rs.second, rs.doctor] * 3)]
    mine = [t for t in tickets if t.doctor_session.doctor_id == rs.doctor.id]
    predicted = {t.id: ticket_position(session, t).people_ahead for t in mine}
    called = []
    while (ticket := queue.call_next(session, rs.room_one, now=NOW)) is not None:
        called.append(ticket.id)
        queue.start_ticket(session, ticket, now=NOW)
        queue.finish_ticket(session, ticket, now=NOW, end_visit=True)
    assert [predicted[i] for i in called] == [0, 1, 2]
    assert set(called) == set(predicted)


def test_the_wait_is_shared_among_the_doctors_open_rooms_only(session, rs, factory):
    rs.room_two.status = Counter.CLOSED
    factory.counter([rs.poli], doctor_id=rs.doctor.id)  # the first doctor has two rooms open
    first = _booked(session, rs, rs.doctor, 0)
    second = _booked(session, rs, rs.doctor, 1)
    third = _booked(session, rs, rs.doctor, 2)
    assert [ticket_position(session, t).people_ahead for t in (first, second, third)] == [0, 1, 2]
    placed = queue_positions(session, rs.poli, NOW.date())
    per_ticket = placed.minutes_per_ticket
    # Two rooms of this doctor are open: the wait halves (rounded up), whatever the other does.
    assert ticket_position(session, third).eta_minutes == -(-2 * per_ticket // 2)


def test_tickets_without_a_session_keep_the_services_order(session, factory):
    service = factory.service()
    factory.counter([service])
    a = queue.issue_ticket(session, service.id, now=NOW)
    b = queue.issue_ticket(session, service.id, now=NOW + timedelta(minutes=1))
    assert [ticket_position(session, t).people_ahead for t in (a, b)] == [0, 1]
