"""Plain statements on SQLite's own cursor (shared/sqlite_direct.py): the rows, keys, types,
defaults and errors SQLAlchemy gives for the same statement, and SQLAlchemy itself wherever
that would not hold."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, event, exc, func, insert, select, update

from shared import queue, sqlite_direct
from shared.db import make_engine
from shared.models import Counter, Site, Ticket, TicketLog
from shared.queue import ordering
from shared.sql import in_values
from tests.shared.concurrency import NOON_JAKARTA

_HEAD = (
    select(Ticket.id, Ticket.queued_at, Ticket.business_date, Ticket.priority, Ticket.step)
    .where(Ticket.service_id == bindparam("service_id"), in_values(Ticket.status, ["waiting"]))
    .order_by(Ticket.id)
    .limit(bindparam("limit"))
)
_COUNTERS = select(Counter.id, Counter.status, Counter.zone).order_by(Counter.id)
_SITE = select(Site.id, Site.opening_hours, Site.active)  # JSON and a boolean
_LISTED = (
    select(Ticket.id)
    .where(
        Ticket.id.in_(bindparam("ids", expanding=True)),
        Ticket.service_id == bindparam("service"),
        Ticket.queued_at.in_(bindparam("at", expanding=True)),
    )
    .order_by(Ticket.id)
)
_NONE_OF = select(Ticket.id).where(Ticket.id.not_in(bindparam("none", expanding=True)))
_LOG = insert(TicketLog.__table__).returning(*TicketLog.__table__.c)


def _both(session, stmt, params):
    """(keys, rows) run directly, then by SQLAlchemy on the same connection."""
    connection = session.connection()
    direct = sqlite_direct.execute(connection, stmt, params)
    assert direct is not None, "SQLAlchemy ran it"
    theirs = connection.execute(stmt, params)
    return (list(direct.keys()), direct.all()), (list(theirs.keys()), theirs.all())


def _tickets(session, factory, count: int):
    service = factory.service(factory.agency())
    factory.counter([service])
    tickets = [
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
        for _ in range(count)
    ]
    session.flush()
    return service, tickets


def test_reads_give_the_keys_rows_and_types_sqlalchemy_gives(session, factory):
    service, tickets = _tickets(session, factory, 3)
    mine, theirs = _both(session, _HEAD, {"service_id": service.id, "limit": 2})
    assert mine == theirs
    keys, rows = mine
    assert keys == ["id", "queued_at", "business_date", "priority", "step"]
    assert [row.id for row in rows] == [t.id for t in tickets[:2]]
    assert rows[0].queued_at == NOON_JAKARTA  # the aware time written, as SQLAlchemy gives it
    assert rows[0].business_date == tickets[0].business_date
    for stmt in (_COUNTERS, _SITE):
        mine, theirs = _both(session, stmt, {})
        assert mine == theirs and mine[1]
    listed = {"ids": [tickets[2].id, tickets[0].id], "at": [NOON_JAKARTA], "service": service.id}
    mine, theirs = _both(session, _LISTED, listed)  # a list written into the SQL, twice
    assert mine == theirs and [row.id for row in mine[1]] == [tickets[0].id, tickets[2].id]


def test_a_parameter_named_in_many_places_is_bound_in_each(session, factory):
    """A heads statement names the day and the limit in every range and each service in three:
    each value is processed once and goes to every placeholder that names it."""
    first, mine_first = _tickets(session, factory, 3)
    second, mine_second = _tickets(session, factory, 2)
    day = mine_first[0].business_date
    params = {"day": day, "limit": 2, "service_0": second.id, "service_1": first.id}
    mine, theirs = _both(session, ordering._heads_statement(2), params)
    assert mine == theirs
    found = {}
    for row in mine[1]:
        found.setdefault(row.service_id, []).append(row.id)
    assert found == {
        first.id: [t.id for t in mine_first[:2]],
        second.id: [t.id for t in mine_second],
    }
    assert all(row.queued_at == NOON_JAKARTA for row in mine[1])


def test_a_write_gives_what_sqlalchemy_gives_defaults_included(session, factory):
    _service, (ticket,) = _tickets(session, factory, 1)
    row = {"ticket_id": ticket.id, "at": NOON_JAKARTA, "action": "note", "to_status": "waiting"}
    connection = session.connection()
    direct = sqlite_direct.execute(connection, _LOG, row).one()
    theirs = connection.execute(_LOG, row).one()
    assert direct._asdict() | {"id": 0} == theirs._asdict() | {"id": 0}
    assert direct.id + 1 == theirs.id and direct.note == "" and direct.at == NOON_JAKARTA
    changed = update(Ticket).where(Ticket.id == bindparam("key")).values(note=bindparam("text"))
    assert sqlite_direct.execute(connection, changed, {"key": ticket.id, "text": "x"}).all() == []
    session.refresh(ticket)
    assert ticket.note == "x"


def test_an_error_is_sqlalchemys_with_its_parameters_hidden(session, factory):
    _service, (ticket,) = _tickets(session, factory, 1)
    duplicate = insert(Ticket.__table__).values(code=bindparam("code"))
    params = {"code": ticket.code, "visit_id": ticket.visit_id}
    with pytest.raises(exc.IntegrityError) as raised:
        sqlite_direct.execute(session.connection(), duplicate, params)
    assert ticket.code not in str(raised.value) and "hidden" in str(raised.value)


def test_sqlalchemy_runs_what_would_not_be_the_same(session, factory):
    service, _tickets_ = _tickets(session, factory, 2)
    connection = session.connection()
    expanding = select(Ticket.id).where(Ticket.service_id.in_(bindparam("ids", expanding=True)))
    assert sqlite_direct.execute(connection, expanding, {"ids": [service.id]}) is not None
    # An empty list: the empty set SQLAlchemy writes, for IN as for NOT IN.
    mine, theirs = _both(session, _NONE_OF, {"none": []})
    assert mine == theirs and len(mine[1]) == 2
    mine, theirs = _both(session, expanding, {"ids": []})
    assert mine == theirs and mine[1] == []
    listed = update(Ticket).where(Ticket.id == bindparam("key")).values(note=bindparam("text"))
    assert sqlite_direct.execute(connection, listed, [{"key": 1, "text": "a"}]) is None
    seen = []
    engine = session.get_bind()
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:  # someone counts the statements: SQLAlchemy runs them, so that they see each one
        assert sqlite_direct.execute(connection, _COUNTERS, {}) is None
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert sqlite_direct.execute(connection, select(func.count()).select_from(Ticket), {})


@pytest.mark.postgres
def test_postgresql_is_left_to_sqlalchemy(pg_url):
    engine = make_engine(pg_url)
    try:
        with engine.connect() as connection:
            assert sqlite_direct.execute(connection, select(func.count()), {}) is None
    finally:
        engine.dispose()


def test_begin_runs_on_sqlites_own_connection_unless_listened_to(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'begin.db'}")
    try:
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert sqlite_direct.begin(connection, "BEGIN IMMEDIATE") and driver.in_transaction
            with pytest.raises(exc.OperationalError):  # SQLAlchemy's error, as its own run gives
                sqlite_direct.begin(connection, "BEGIN IMMEDIATE")
            driver.rollback()
            event.listen(engine, "before_cursor_execute", listener := lambda *args: None)
            assert not sqlite_direct.begin(connection, "BEGIN") and not driver.in_transaction
            event.remove(engine, "before_cursor_execute", listener)
    finally:
        engine.dispose()
