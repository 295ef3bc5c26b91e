"""A queue's counters and what they serve are read in a fixed number of statements, however many
counters an agency has (lazy loading took one per service and one per counter)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from shared import queue
from shared.models import Counter
from tests.shared.concurrency import NOON_JAKARTA


@contextmanager
def counted(session):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _costs(session, session_factory, factory, counters: int) -> tuple[int, int]:
    """Statements of a ticket + commit and of a call + commit, each in a session of its own (as
    a request has), in an agency with ``counters`` counters serving the same three services."""
    agency = factory.agency()
    service, *others = (factory.service(agency) for _ in range(3))
    desks = [factory.counter([service, *others]) for _ in range(counters)]
    for _ in range(3):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
    session.commit()
    with session_factory() as fresh, counted(fresh) as ticket:
        queue.issue_ticket(fresh, service.id, now=NOON_JAKARTA, check_availability=False)
        fresh.commit()
    with session_factory() as fresh:
        desk = fresh.get(Counter, desks[0].id)
        with counted(fresh) as call:
            assert queue.call_next(fresh, desk, now=NOON_JAKARTA) is not None
            fresh.commit()
    return len(ticket), len(call)


@pytest.mark.parametrize("many", [6, 10])
def test_the_statements_do_not_grow_with_the_counters(session, session_factory, factory, many):
    few = _costs(session, session_factory, factory, 2)
    assert _costs(session, session_factory, factory, many) == few
