"""The hot path's plain reads and writes (shared/sql.py): the rows ``session.execute`` gives, in
the same transaction, after the same autoflush; a plain write counts as the transaction's own."""

from __future__ import annotations

from sqlalchemy import func, select

from shared import queue, sql
from shared.db import make_engine, make_session_factory
from shared.models import Ticket
from shared.printing import jobs
from shared.queue.numbering import next_number
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


def _on_postgresql(pg_url: str, check) -> None:
    engine = make_engine(pg_url)
    try:
        with make_session_factory(engine)() as session:
            check(session, Factory(session))
    finally:
        engine.dispose()


def test_plain_rows_on_postgresql(pg_url):
    _on_postgresql(pg_url, _check)


def test_a_plain_write_is_kept_when_printing_ends_a_reading_transaction(session, factory):
    """Printing ends a transaction that only read before it waits on a printer; a transaction
    whose only write went through ``plain_write`` (a ticket's number) wrote, and stays."""
    service = factory.service(factory.agency())
    session.commit()
    day = NOON_JAKARTA.date()
    assert next_number(session, service.id, day) == 1
    assert session.info.get(sql.WROTE)
    jobs._release_if_clean(session)
    assert next_number(session, service.id, day) == 2  # the same transaction: 1 still taken
    session.commit()
    assert not session.info.get(sql.WROTE)  # a new transaction starts clean
    jobs._release_if_clean(session)
    assert next_number(session, service.id, day) == 3
    session.rollback()
    assert next_number(session, service.id, day) == 3  # given back


def _check_in_list(session, factory) -> None:
    agency = factory.agency()
    services = [factory.service(agency) for _ in range(3)]
    for service in services:
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
    for chosen in ([], services[:1], services[1:], services):
        ids = [s.id for s in chosen]
        stmt = _WAITING.where(sql.in_list(Ticket.service_id, "service", len(ids)))
        got = plain_rows(session, stmt.group_by(Ticket.service_id), sql.list_params("service", ids))
        assert sorted(got.all()) == [(i, 1) for i in sorted(ids)]  # none for an empty list
    session.rollback()


def test_a_list_bound_one_parameter_a_value_reads_as_in(session, factory):
    _check_in_list(session, factory)


def test_a_list_bound_one_parameter_a_value_on_postgresql(pg_url):
    _on_postgresql(pg_url, _check_in_list)
