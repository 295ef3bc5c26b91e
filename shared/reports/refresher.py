"""The background job that keeps the report roll-ups up to date, a day per transaction.

Report pages only read the roll-ups; this job folds new log entries into them: run.py's
housekeeping starts it as a child process, the scale-out runs ``antre reports work`` (and
``antre reports rebuild`` after an upgrade). A day's input is read in a transaction that takes no
write lock on SQLite, then the day's rows are replaced in a transaction of their own, so kiosks
and clerks wait at most for one day's delete and insert, never for a whole year. A day logged
since its read (two rounds at once: a rebuild beside the job) is read again under the lock,
so an older read never replaces newer rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select, union
from sqlalchemy.orm import Session, sessionmaker

from shared import timeutil
from shared.db import begin_reading, is_postgres
from shared.models import ReportDaily, ReportDuration, Ticket, TicketLog
from shared.reports.rollup import (
    Context,
    compute_days,
    days_touched,
    lock_state,
    newest_log_id,
    read_context,
    replace_days,
)

log = logging.getLogger(__name__)
OnDay = Callable[[date, int], None]  # a day rebuilt, and its tickets


# A log entry of the day newer than a given id (the newest when the day was read).
_LOGGED_AFTER = (
    select(TicketLog.id)
    .join(Ticket, Ticket.id == TicketLog.ticket_id)
    .where(TicketLog.id > bindparam("after"), Ticket.business_date == bindparam("day"))
    .limit(1)
)


@dataclass
class Plan:
    """Days to rebuild, and what the roll-ups will have read once they are."""

    days: list[date]
    newest: int  # the last log id folded in
    moment: datetime  # the figures hold everything logged before it
    context: Context | None = None


def _reading(session: Session) -> Session:
    """A transaction for reading a long input. On PostgreSQL it holds the state row (reads
    block nobody there, and a site sync import waits); on SQLite it takes no lock at all."""
    if is_postgres(session):
        lock_state(session)
    else:
        begin_reading(session)
    return session


def _since(factory: sessionmaker) -> int:
    with factory() as session:  # short: creates the state row the first time
        since = lock_state(session).last_log_id
        session.commit()
    return since


def plan_refresh(factory: sessionmaker, now: datetime | None = None) -> Plan:
    """The days touched by log entries newer than the roll-ups (plus today), if any."""
    moment = now or timeutil.now_utc()
    since = _since(factory)
    with factory() as session:
        _reading(session)
        newest = newest_log_id(session)
        if newest <= since:
            return Plan([], since, moment)
        days = days_touched(session, since, newest, moment)
        return Plan(days, newest, moment, read_context(session))


def plan_rebuild(factory: sessionmaker, now: datetime | None = None) -> Plan:
    """Every day with tickets or roll-up rows (a day whose tickets are gone is emptied)."""
    moment = now or timeutil.now_utc()
    _since(factory)
    with factory() as session:
        _reading(session)
        newest = newest_log_id(session)
        days = session.execute(
            union(
                select(Ticket.business_date),
                select(ReportDaily.business_date),
                select(ReportDuration.business_date),
            )
        ).scalars()
        return Plan(sorted(set(days)), newest, moment, read_context(session))


def _rebuild_day(factory: sessionmaker, day: date, context: Context) -> int:
    with factory() as session:
        if is_postgres(session):
            lock_state(session)
            rows = compute_days(session, [day], context)
        else:
            begin_reading(session)
            read_upto = newest_log_id(session)
            rows = compute_days(session, [day], context)
            session.rollback()  # the read ends; the write below takes the lock briefly
            lock_state(session)
            if _logged_since(session, day, read_upto):
                rows = compute_days(session, [day], context)
        replace_days(session, rows)
        session.commit()
    return rows.tickets


def _logged_since(session: Session, day: date, read_upto: int) -> bool:
    """Whether the day has log entries newer than the read. Another round (``antre reports
    rebuild`` beside the server's job) may have written the day with them already: rows read
    before them would replace newer ones, so the day is read again, under the lock."""
    return session.execute(_LOGGED_AFTER, {"after": read_upto, "day": day}).first() is not None


def carry_out(
    factory: sessionmaker,
    plan: Plan,
    *,
    on_day: OnDay | None = None,
    stop: threading.Event | None = None,
) -> bool:
    """Rebuild the plan's days one transaction each, then move the watermark; False when
    stopped halfway (the next round does those days again)."""
    for day in plan.days:
        if stop is not None and stop.is_set():
            return False
        tickets = _rebuild_day(factory, day, plan.context)
        if on_day is not None:
            on_day(day, tickets)
    with factory() as session:
        state = lock_state(session)
        state.last_log_id = max(state.last_log_id, plan.newest)
        state.refreshed_at = plan.moment  # also when idle: the figures are current
        session.commit()
    return True


def refresh_in_steps(
    factory: sessionmaker, *, now: datetime | None = None, stop: threading.Event | None = None
) -> list[date]:
    """One round of the job: fold in what was logged since the last round; the days rebuilt."""
    plan = plan_refresh(factory, now)
    carry_out(factory, plan, stop=stop)
    return plan.days


def work(factory: sessionmaker, stop: threading.Event, interval: float) -> None:
    """Refresh every ``interval`` seconds until ``stop``; a failed round is logged and retried."""
    while not stop.is_set():
        try:
            days = refresh_in_steps(factory, stop=stop)
            if days:
                log.info("report roll-ups refreshed: %d day(s)", len(days))
        except Exception:  # e.g. the database restarting: the next round tries again
            log.exception("report roll-up refresh failed")
        stop.wait(interval)
