"""The hot path's plain reads (shared/sql.py): the rows ``session.execute`` gives, in the same
transaction, after the same autoflush."""

from __future__ import annotations

from sqlalchemy import func, select

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Ticket
from shared.sql import plain_rows
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA

_WAITING = select(Ticket.service_id, func.count()).where(Ticket.status == "waiting")
_FIRST = select(Ticket.issued_at, Ticket.code).order_by(Ticket.id).limit(1)


def _check(session, factory) -> None:
    service = factory.service(factory.agency())
    ticket = queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
    grouped = _WAITING.group_by(Ticket.service_id)
    assert plain_rows(session, grouped).all() == session.execute(grouped).all() == [(service.id, 1)]
    # The columns' types apply: a time comes back as the aware time it was written.
    assert plain_rows(session, _FIRST).one() == (NOON_JAKARTA, ticket.code)
    ticket.status = "done"
    with session.no_autoflush:  # held back where session.execute holds it back
        assert plain_rows(session, grouped).all() == [(service.id, 1)]
    assert plain_rows(session, grouped).all() == []  # flushed first
    session.rollback()  # the same transaction: nothing of it stays
    assert plain_rows(session, select(func.count()).select_from(Ticket)).scalar_one() == 0


def test_plain_rows_read_what_the_session_would(session, factory):
    _check(session, factory)


def test_plain_rows_on_postgresql(pg_url):
    engine = make_engine(pg_url)
    try:
        with make_session_factory(engine)() as session:
            _check(session, Factory(session))
    finally:
        engine.dispose()
