"""The queue's head, read in SQL with a limit, places its tickets exactly as the whole queue did.

The full computation (``queue_positions``: every waiting ticket read and placed in Python) is the
oracle; random queues with priority groups, boosts, counters shared between services, closed
counters and doctors' sessions are placed both ways.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Doctor, DoctorSchedule
from shared.queue import doctors, ordering
from shared.queue.ordering import heads_of, ordered_rows
from shared.queue.position import (
    CallOrders,
    Position,
    _counted,
    queue_head,
    queue_positions,
    ticket_position,
)
from tests.factories import Factory
from tests.hospital import build_hospital
from tests.shared.concurrency import NOON_JAKARTA

GROUPS = ["none"] * 5 + ["lansia", "disabilitas", "ibu_hamil"]


def _expected_head(oracle, window: int) -> dict[int, Position]:
    places = zip(oracle.order, oracle.people_ahead, oracle.eta_minutes, strict=True)
    return {t: Position(ahead, eta) for t, ahead, eta in places if ahead < window}


def _check(session, service, day, tickets) -> None:
    oracle = queue_positions(session, service, day)
    full = ordered_rows(session, service, day)
    for limit in (1, 2, 5, 40):
        assert ordered_rows(session, service, day, limit=limit) == full[:limit]
    for window in (1, 3, 10):
        head = queue_head(session, service, CallOrders(session, day, window))
        assert head.places == _expected_head(oracle, window)
        assert list(head.places.values()) == sorted(
            head.places.values(), key=lambda p: p.people_ahead
        )
    for ticket in tickets:
        if ticket.service_id == service.id and ticket.status == "waiting":
            assert ticket_position(session, ticket) == oracle.of(ticket.id)


@pytest.mark.parametrize("seed", range(6))
def test_shared_counters_and_priorities(session, factory, seed):
    _shared_counters_and_priorities(session, factory, seed)


def _shared_counters_and_priorities(session, factory, seed):
    rng = random.Random(seed)
    agency = factory.agency()
    services = [factory.service(agency, priority_ratio=rng.randint(0, 3)) for _ in range(3)]
    a, b, c = services
    shapes = [[a], [a, b], [b, c], [c]] if seed % 2 else [[a], [b], [c]]
    counters = [factory.counter(s, status=rng.choice([Counter.OPEN, "closed"])) for s in shapes]
    tickets = []
    # From seed 1 on, only A has priority groups: B's and C's orders stay sorted, so A's places
    # are counted along the index even where a counter merges them (position._counted).
    mixed = {a} if seed % 3 else set(services)
    for i in range(rng.randint(15, 45)):
        service = rng.choice(services)
        tickets.append(
            queue.issue_ticket(
                session,
                service.id,
                priority=rng.choice(GROUPS) if service in mixed else "none",
                boost=rng.choice([0, 1, 1, 1]),
                queued_at=NOON_JAKARTA + timedelta(seconds=rng.randint(0, 600)),
                now=NOON_JAKARTA + timedelta(seconds=i),
                check_availability=False,
            )
        )
    for step in range(rng.randint(0, 6)):  # a few calls, so the priority streak matters
        counter = rng.choice(counters)
        if counter.status == Counter.OPEN:
            called = queue.call_next(session, counter, now=NOON_JAKARTA + timedelta(minutes=step))
            if called is not None:
                queue.start_ticket(session, called, now=NOON_JAKARTA + timedelta(minutes=step))
                queue.finish_ticket(session, called, now=NOON_JAKARTA + timedelta(minutes=step))
    session.flush()
    day = tickets[0].business_date
    for service in services:
        _check(session, service, day, tickets)
    for window in (1, 3, 10):  # one reading placing every queue, as a call's commit does
        orders = CallOrders(session, day, window)
        for service in services:
            expected = _expected_head(queue_positions(session, service, day), window)
            assert queue_head(session, service, orders).places == expected
    for limit in (1, 3, 10):  # several heads in one statement: each as read alone
        together = heads_of(session, services, day, limit)
        for service in services:
            alone = ordered_rows(session, service, day, limit=limit)
            assert [row.id for row in together[service.id]] == [row.id for row in alone]
    if seed % 3:
        waiting_a = [t for t in tickets if t.service_id == a.id and t.status == "waiting"]
        assert all(_counted(session, t) is not None for t in waiting_a)


def test_heads_read_in_several_statements_when_there_are_many(session, factory, monkeypatch):
    monkeypatch.setattr(ordering, "HEADS_PER_STATEMENT", 2)  # 3 services: two statements
    _shared_counters_and_priorities(session, factory, 1)


NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.mark.parametrize("seed", range(4))
def test_doctors_sessions(session, factory, seed):
    _doctors_sessions(session, factory, seed)


def test_the_same_on_postgresql(pg_url):
    """PostgreSQL sorts and compares the rows itself: the same places there."""
    engine = make_engine(pg_url)
    try:
        for seed in range(3):
            with make_session_factory(engine)() as session:
                _shared_counters_and_priorities(session, Factory(session), seed)
                _doctors_sessions(session, Factory(session), seed)
                session.rollback()
    finally:
        engine.dispose()


def _doctors_sessions(session, factory, seed):
    rng = random.Random(seed)
    rs = build_hospital(factory)
    second = Doctor(site_id=rs.site.id, service=rs.poli, name="dr. Dua", bpjs_code="1003")
    second.schedules = [
        DoctorSchedule(weekday=d, start="00:00", end="23:59", capacity=40, quota_jkn=30)
        for d in range(7)
    ]
    session.add(second)
    session.flush()
    rs.poli.counters[0].doctor_id = rs.doctor.id
    factory.counter([rs.poli], doctor_id=second.id, status=rng.choice([Counter.OPEN, "closed"]))
    rows = {r.doctor_id: r for r in doctors.sessions_for_day(session, rs.poli, NOW.date())}
    tickets = []
    for i in range(rng.randint(10, 30)):
        held = rng.choice([None, rs.doctor.id, second.id])
        tickets.append(
            queue.issue_ticket(
                session,
                rs.poli.id,
                source="booking" if held else "kiosk",
                payer="jkn" if held else None,
                doctor_session_id=rows[held].id if held else None,
                queued_at=NOW + timedelta(seconds=rng.randint(0, 600)),
                now=NOW + timedelta(seconds=i),
                check_availability=False,
            )
        )
    for ticket in tickets:  # the hospital offers no group at its kiosks: set them directly
        ticket.priority = rng.choice(GROUPS)
    session.flush()
    assert {t.doctor_session_id is not None for t in tickets} == {True, False}
    _check(session, rs.poli, NOW.date(), tickets)


def _phones_message(session, factory, publisher, waiting: int) -> dict:
    """What every phone on a queue of ``waiting`` hears when the clerk calls the next one."""
    service = factory.service()
    counter = factory.counter([service])
    for i in range(waiting):
        queue.issue_ticket(
            session, service.id, now=NOON_JAKARTA + timedelta(seconds=i), check_availability=False
        )
    session.commit()
    publisher.events.clear()
    queue.call_next(session, counter, now=NOON_JAKARTA + timedelta(hours=1))
    session.commit()
    [event] = [
        e for e in publisher.events if e.namespace == "/ticket" and e.name == "queue.changed"
    ]
    return event.message()


def test_what_a_phone_hears_does_not_grow_with_the_queue(session, factory, publisher):
    """The head's places and a count of calls: 12 or 500 waiting, the same message but for the
    numbers in it; 5 waiting, a shorter head."""
    small = _phones_message(session, factory, publisher, 5)
    twelve = _phones_message(session, factory, publisher, 12)
    long = _phones_message(session, factory, publisher, 500)
    assert [len(m["head"]) for m in (small, twelve, long)] == [4, 10, 10]
    assert [m["head"][0]["people_ahead"] for m in (small, twelve, long)] == [0, 0, 0]
    assert [m["called"] for m in (small, twelve, long)] == [1, 1, 1]
    shape = [re.sub(r"\d+", "0", json.dumps(m, sort_keys=True)) for m in (twelve, long)]
    assert shape[0] == shape[1] and "order" not in long
    assert len(json.dumps(long)) < 1000


def test_a_count_across_a_shared_counter_sees_a_priority_ticket_queued_later(session, factory):
    """A calls priority first: A-002 (lansia, 12:10) before A-001 (12:00). B-001 (12:05) goes
    between them at a counter serving A and B, so A-001 has two ahead, not one."""
    agency = factory.agency()
    a = factory.service(agency, priority_ratio=0)
    b = factory.service(agency)
    factory.counter([a, b])
    regular = queue.issue_ticket(session, a.id, queued_at=NOON_JAKARTA, now=NOON_JAKARTA)
    minutes = [timedelta(minutes=m) for m in (5, 10)]
    queue.issue_ticket(session, b.id, queued_at=NOON_JAKARTA + minutes[0], now=NOON_JAKARTA)
    queue.issue_ticket(
        session, a.id, priority="lansia", queued_at=NOON_JAKARTA + minutes[1], now=NOON_JAKARTA
    )
    session.flush()
    oracle = queue_positions(session, a, regular.business_date).of(regular.id)
    assert _counted(session, regular) == ticket_position(session, regular) == oracle
    assert oracle.people_ahead == 2
