"""Workers for the multi-process and multi-thread tests (importable by spawned processes)."""

from __future__ import annotations

from datetime import UTC, datetime

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter

NOON_JAKARTA = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


def issue_many(url: str, service_id: int, count: int, start, results) -> None:
    """Issue ``count`` tickets, one transaction each, and report the numbers received."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    start.wait(30)
    numbers = []
    for _ in range(count):
        with factory() as session:
            ticket = queue.issue_ticket(session, service_id, now=NOON_JAKARTA)
            number = ticket.number
            session.commit()
        numbers.append(number)
    engine.dispose()
    results.put(numbers)


def call_until_empty(factory, counter_id: int, called: list, errors: list) -> None:
    """A clerk's loop: call next, finish, again, until nobody is waiting."""
    try:
        while True:
            with factory() as session:
                counter = session.get(Counter, counter_id)
                ticket = queue.call_next(session, counter, now=NOON_JAKARTA)
                if ticket is None:
                    session.commit()
                    return
                queue.start_ticket(session, ticket, now=NOON_JAKARTA)
                queue.finish_ticket(session, ticket, now=NOON_JAKARTA)
                ticket_id = ticket.id
                session.commit()
            called.append(ticket_id)
    except Exception as error:  # reported to the test, which fails on it
        errors.append(repr(error))


def take_places(url: str, service_id: int, session_id: int, tries: int, start, results) -> None:
    """Take JKN places of one doctor's session, one transaction each: numbers, or "full"."""
    from shared.queue.doctors import SessionFull

    engine = make_engine(url)
    factory = make_session_factory(engine)
    start.wait(30)
    outcomes = []
    for _ in range(tries):
        with factory() as session:
            try:
                ticket = queue.issue_ticket(
                    session,
                    service_id,
                    payer="jkn",
                    doctor_session_id=session_id,
                    now=NOON_JAKARTA,
                )
                outcomes.append(ticket.visit.session_number)
                session.commit()
            except SessionFull:
                session.rollback()
                outcomes.append("full")
    engine.dispose()
    results.put(outcomes)
