"""Calling: queue order across services, idempotent retries, and no ticket called twice."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Ticket
from shared.queue import errors
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA, call_until_empty

QUEUE_SIZE, CLERKS = 200, 8


def test_call_next_returns_none_when_nobody_waits(session, factory):
    counter = factory.counter([factory.service()])
    assert queue.call_next(session, counter, now=NOON_JAKARTA) is None


def test_closed_counter_cannot_call(session, factory):
    service = factory.service()
    open_counter = factory.counter([service])
    closed = factory.counter([service], status=Counter.CLOSED)
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    with pytest.raises(errors.CounterNotOpen):
        queue.call_next(session, closed, now=NOON_JAKARTA)
    assert queue.call_next(session, open_counter, now=NOON_JAKARTA) is not None


def test_counter_with_a_called_ticket_must_finish_it_first(session, factory):
    service = factory.service()
    counter = factory.counter([service])
    for _ in range(2):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    queue.call_next(session, counter, now=NOON_JAKARTA)
    with pytest.raises(errors.CounterBusy):
        queue.call_next(session, counter, now=NOON_JAKARTA)


def test_retried_request_gets_the_same_ticket(session, factory):
    service = factory.service()
    counter = factory.counter([service])
    for _ in range(2):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    first = queue.call_next(session, counter, request_id="click-1", now=NOON_JAKARTA)
    again = queue.call_next(session, counter, request_id="click-1", now=NOON_JAKARTA)
    assert again.id == first.id
    assert session.query(Ticket).filter_by(status="called").count() == 1


def test_counter_serving_two_services_takes_the_longest_waiting(session, factory):
    from datetime import timedelta

    ktp, kk = factory.service(), factory.service()
    counter = factory.counter([ktp, kk])
    later = queue.issue_ticket(session, ktp.id, now=NOON_JAKARTA + timedelta(minutes=5))
    earlier = queue.issue_ticket(session, kk.id, now=NOON_JAKARTA)
    assert (
        queue.call_next(session, counter, now=NOON_JAKARTA + timedelta(minutes=6)).id == earlier.id
    )
    queue.start_ticket(session, earlier, now=NOON_JAKARTA)
    queue.finish_ticket(session, earlier, now=NOON_JAKARTA)
    assert queue.call_next(session, counter, now=NOON_JAKARTA).id == later.id


def test_call_specific_ticket_is_audited_and_checked(session, factory):
    from shared.models import AuditLog

    service, other = factory.service(), factory.service()
    counter = factory.counter([service])
    factory.counter([other])
    mine = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    foreign = queue.issue_ticket(session, other.id, now=NOON_JAKARTA)
    with pytest.raises(errors.WrongCounter):
        queue.call_ticket(session, counter, foreign, now=NOON_JAKARTA)
    queue.call_ticket(session, counter, mine, now=NOON_JAKARTA)
    assert mine.status == "called"
    assert session.query(AuditLog).filter_by(action="ticket.call_specific").count() == 1


@pytest.mark.postgres
def test_a_head_being_claimed_is_passed_over_not_waited_for(pg_url):
    """Two clerks press "call next" at once on PostgreSQL: while the first one's transaction
    holds the head, the second takes the next ticket instead of waiting for that transaction (a
    lock timeout turns any wait into a failure here)."""
    engine = make_engine(pg_url)
    factory_ = make_session_factory(engine)
    with factory_() as session:
        f = Factory(session)
        service = f.service()
        first_id, second_id = (f.counter([service]).id for _ in range(2))
        head, after = (queue.issue_ticket(session, service.id, now=NOON_JAKARTA) for _ in "ab")
        head_id, after_id = head.id, after.id
        session.commit()
    with factory_() as first, factory_() as second:
        assert queue.call_next(first, first.get(Counter, first_id), now=NOON_JAKARTA).id == head_id
        second.execute(text("SET LOCAL lock_timeout = '5s'"))
        taken = queue.call_next(second, second.get(Counter, second_id), now=NOON_JAKARTA)
        assert taken.id == after_id
        second.commit()
        first.commit()
    engine.dispose()


def _race_calls(url: str) -> None:
    engine = make_engine(url)
    factory_ = make_session_factory(engine)
    with factory_() as session:
        f = Factory(session)
        service = f.service()
        counter_ids = [f.counter([service]).id for _ in range(CLERKS)]
        for _ in range(QUEUE_SIZE):
            queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
        session.commit()
    called: list[int] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=call_until_empty, args=(factory_, cid, called, failures))
        for cid in counter_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not failures
    assert len(called) == QUEUE_SIZE
    assert len(set(called)) == QUEUE_SIZE
    with factory_() as session:
        assert session.query(Ticket).filter_by(status="done").count() == QUEUE_SIZE
    engine.dispose()


@pytest.mark.slow
def test_eight_clerks_never_call_the_same_ticket_on_sqlite(db_url):
    _race_calls(db_url)


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_clerks_never_call_the_same_ticket_on_postgresql(pg_url):
    _race_calls(pg_url)
