"""The roll-ups' background job (shared/reports/refresher.py): a day per transaction, the same
rows as a rebuild in one transaction, and the long reads outside SQLite's write lock."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import event, select

from shared import queue, timeutil
from shared.models import ReportDaily, ReportDuration, ReportState
from shared.reports import Scope, make_period, rebuild_days, refresher, ticket_report
from shared.reports.refresher import carry_out, plan_rebuild, refresh_in_steps
from shared.reports.rollup import STATE
from tests.reports.seeded_day import DAY, at, seed_day
from tests.reports.test_regional_reports import seed_hospital


def rows(session) -> list[tuple]:
    """Every roll-up row without its id, in a stable order."""
    found = []
    for model in (ReportDaily, ReportDuration):
        columns = [c for c in model.__table__.c if c.name != "id"]
        found += sorted(tuple(r) for r in session.execute(select(*columns)))
    return found


def served(session) -> int:
    return ticket_report(session, make_period("day", DAY), Scope("mall")).counts["served"]


def test_a_rebuild_in_steps_gives_the_rows_of_one_transaction(session, factory, session_factory):
    seed_day(session, factory)
    seed_hospital(session, factory)  # a WITA site, and a ticket in December
    session.commit()
    commits = []
    engine = session.get_bind()

    def committed(_conn) -> None:
        commits.append(1)

    event.listen(engine, "commit", committed)
    rebuilt = []
    try:
        plan = plan_rebuild(session_factory)
        assert carry_out(session_factory, plan, on_day=lambda day, n: rebuilt.append((day, n)))
    finally:
        event.remove(engine, "commit", committed)
    assert [day for day, _ in rebuilt] == plan.days and len(plan.days) == 2
    assert sum(n for _, n in rebuilt) == 7 + 5  # the mall's day and the hospital's tickets
    assert len(commits) >= len(plan.days) + 1  # a day per transaction, then the watermark
    stepped = rows(session)
    assert stepped
    rebuild_days(session, plan.days)  # the same days in one transaction
    session.commit()
    assert rows(session) == stepped


def test_the_job_folds_in_new_activity_then_idles(session, factory, session_factory):
    day = seed_day(session, factory)
    session.commit()
    now = timeutil.now_utc()
    assert DAY in refresh_in_steps(session_factory, now=now)
    assert served(session) == 3
    session.commit()
    t7 = day.tickets["T7"]
    queue.call_next(session, day.c2, day.k2, now=at("10:10"))
    queue.start_ticket(session, t7, day.k2, now=at("10:11"))
    queue.finish_ticket(session, t7, day.k2, now=at("10:20"))
    session.commit()
    assert served(session) == 3  # reports read the roll-ups only
    session.commit()
    later = now + timedelta(minutes=1)
    assert DAY in refresh_in_steps(session_factory, now=later)
    assert served(session) == 4
    session.commit()
    idle = now + timedelta(minutes=2)
    assert refresh_in_steps(session_factory, now=idle) == []  # nothing new: nothing rebuilt
    state = session.execute(select(ReportState).where(ReportState.name == STATE)).scalar_one()
    assert state.refreshed_at == idle  # the figures are still current


def test_a_stopped_rebuild_leaves_the_watermark_alone(session, factory, session_factory):
    seed_day(session, factory)
    session.commit()
    stop = threading.Event()
    stop.set()
    plan = plan_rebuild(session_factory)
    assert carry_out(session_factory, plan, stop=stop) is False
    state = session.execute(select(ReportState).where(ReportState.name == STATE)).scalar_one()
    assert state.last_log_id == 0 and state.refreshed_at is None  # the next round does it all


def test_the_log_is_read_outside_the_write_lock(session, factory, session_factory):
    """On SQLite a transaction that writes holds the database's one write lock: the job's
    writing transactions only lock the state row and replace a day's rows."""
    seed_day(session, factory)
    seed_hospital(session, factory)
    session.commit()
    engine = session.get_bind()
    transactions: list[list[str]] = []

    def seen(_conn, _cursor, statement, *_):
        if statement.startswith("BEGIN"):
            transactions.append([])
        transactions[-1].append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        refresh_in_steps(session_factory)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    writing = [t for t in transactions if t[0] == "BEGIN IMMEDIATE"]
    reading = [t for t in transactions if t[0] == "BEGIN DEFERRED"]
    assert writing and any("ticket_log" in " ".join(t) for t in reading)
    # Under the lock, only whether the day was logged since its read: one row along the index.
    check = str(refresher._LOGGED_AFTER.compile(dialect=engine.dialect))
    for transaction in writing:
        text = " ".join(s for s in transaction if s != check).lower()
        assert "ticket_log" not in text and "from ticket " not in text, transaction


def test_a_round_that_read_a_day_earlier_does_not_write_over_a_later_one(
    session, factory, session_factory, monkeypatch
):
    """Two rounds at once (``antre reports rebuild`` beside the server's job): one that read a
    day before a ticket was finished must not replace the rows a later round wrote with it. On
    SQLite the day is read outside the write lock, so it is read again under the lock when the
    day was logged since."""
    day = seed_day(session, factory)
    session.commit()
    now = timeutil.now_utc()
    refresh_in_steps(session_factory, now=now)
    assert served(session) == 3
    session.commit()
    t7 = day.tickets["T7"]
    queue.call_next(session, day.c2, day.k2, now=at("10:10"))
    session.commit()
    compute = refresher.compute_days
    meanwhile = []

    def read_then_let_another_round_run(read_in, days, context):
        rows = compute(read_in, days, context)
        if days == [DAY] and not meanwhile:  # this round has read the day: then, elsewhere,
            meanwhile.append(1)
            with session_factory() as clerk:  # the ticket is served
                ticket = clerk.get(type(t7), t7.id)
                queue.start_ticket(
                    clerk, ticket, clerk.get(type(day.k2), day.k2.id), now=at("10:11")
                )
                queue.finish_ticket(clerk, ticket, ticket.clerk, now=at("10:20"))
                clerk.commit()
            refresh_in_steps(session_factory, now=now + timedelta(minutes=1))  # a whole round
            with session_factory() as look:
                assert served(look) == 4
        return rows

    monkeypatch.setattr(refresher, "compute_days", read_then_let_another_round_run)
    assert DAY in refresh_in_steps(session_factory, now=now + timedelta(minutes=1))
    assert meanwhile
    assert served(session) == 4  # not the 3 this round read first


def test_on_postgresql_too(pg_url):
    """There the day's input is read in the writing transaction, under the state row's lock
    (reads block nobody on PostgreSQL): the same rows as one transaction."""
    from shared.db import make_engine, make_session_factory
    from tests.factories import Factory

    engine = make_engine(pg_url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            seed_day(session, Factory(session))
            session.commit()
        assert DAY in refresh_in_steps(factory)
        with factory() as session:
            assert served(session) == 3
            stepped = rows(session)
            rebuild_days(session, [DAY])
            session.commit()
            assert rows(session) == stepped
        assert refresh_in_steps(factory) == []
    finally:
        engine.dispose()
