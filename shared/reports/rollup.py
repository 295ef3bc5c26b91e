"""Daily roll-ups rebuilt from the ticket log: the reports read these instead of a million rows.

Every business day touched by log entries newer than the last refresh is rebuilt whole (delete,
then insert), so late changes (a reactivated no-show, a transfer, a restart mid-day) land in the
right day. Reading the log, not the ticket's current columns, keeps waits and service times right
after transfers and recalls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import (
    ReportDaily,
    ReportDuration,
    ReportState,
    Service,
    Site,
    Ticket,
    TicketLog,
)
from shared.queue.states import CANCELLED, DONE, NO_SHOW, TRANSFERRED
from shared.reports.standards import standard_minutes

STATE = "tickets"
DAYS_PER_BATCH = 31
OUTCOME = {DONE: "served", NO_SHOW: "no_show", CANCELLED: "cancelled", TRANSFERRED: "transferred"}


@dataclass
class TicketFacts:
    """What the log says about one ticket."""

    key: tuple  # (day, agency, service, counter, clerk)
    source: str
    hour: int
    arrival: bool
    outcome: str | None
    wait: int | None  # seconds from issue to first call
    service: int | None  # seconds from the last start to finish (or transfer)


def facts_of(ticket_row, log_rows: list, agency_id: int, tz: str) -> TicketFacts:
    issued = called = started = ended = None
    counter_id, clerk_id, last_status = ticket_row.counter_id, ticket_row.clerk_id, None
    for entry in log_rows:
        last_status = entry.to_status
        if entry.action == "issue" and issued is None:
            issued = entry.at
        elif entry.action == "call":
            called = called or entry.at
            counter_id, clerk_id = entry.counter_id, entry.actor_id
        elif entry.action == "start":
            started, ended = entry.at, None
        elif entry.action in ("finish", "transfer") and started is not None and ended is None:
            ended = entry.at
    issued = issued or ticket_row.issued_at
    status = last_status or ticket_row.status
    return TicketFacts(
        key=(
            ticket_row.business_date,
            agency_id,
            ticket_row.service_id,
            counter_id or 0,
            clerk_id or 0,
        ),
        source=ticket_row.source,
        hour=timeutil.local(issued, tz).hour,
        arrival=ticket_row.transferred_from_id is None,
        outcome=OUTCOME.get(status),
        wait=_seconds(issued, called),
        service=_seconds(started, ended),
    )


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def _tickets_of(session: Session, days: list[date]):
    stmt = (
        select(
            Ticket.id,
            Ticket.business_date,
            Ticket.service_id,
            Ticket.counter_id,
            Ticket.clerk_id,
            Ticket.source,
            Ticket.status,
            Ticket.issued_at,
            Ticket.transferred_from_id,
        )
        .where(Ticket.business_date.in_(days))
        .order_by(Ticket.id)
    )
    return session.execute(stmt).all()


def _logs_of(session: Session, days: list[date]) -> dict[int, list]:
    stmt = (
        select(
            TicketLog.ticket_id,
            TicketLog.action,
            TicketLog.to_status,
            TicketLog.at,
            TicketLog.counter_id,
            TicketLog.actor_id,
        )
        .join(Ticket, Ticket.id == TicketLog.ticket_id)
        .where(Ticket.business_date.in_(days))
        .order_by(TicketLog.ticket_id, TicketLog.id)
    )
    logs: dict[int, list] = defaultdict(list)
    for row in session.execute(stmt):
        logs[row.ticket_id].append(row)
    return logs


@dataclass
class Context:
    """What folding a ticket needs besides its log: each service's agency, clock and standard."""

    agency_of: dict[int, int]
    tz_of: dict[int, str]
    standard_of: dict[int, int]  # seconds


def read_context(session: Session) -> Context:
    services = session.execute(select(Service)).scalars().all()
    zones = dict(session.execute(select(Site.id, Site.timezone)).all())
    return Context(
        agency_of={s.id: s.agency_id for s in services},
        tz_of={s.id: zones[s.site_id] for s in services},  # each site's own clock
        standard_of={s.id: standard_minutes(s) * 60 for s in services},
    )


@dataclass
class DayRows:
    """The roll-up rows of some days, computed but not written yet."""

    days: list[date]
    daily: list[dict]
    durations: list[dict]
    tickets: int  # tickets read


def compute_days(session: Session, days: Iterable[date], context: Context) -> DayRows:
    """Fold the tickets and log of ``days`` into roll-up rows; only reads."""
    days = sorted(set(days))
    logs = _logs_of(session, days)
    daily: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    durations: dict[tuple, int] = defaultdict(int)
    read = 0
    for row in _tickets_of(session, days):
        read += 1
        service_id = row.service_id
        facts = facts_of(
            row, logs.get(row.id, []), context.agency_of[service_id], context.tz_of[service_id]
        )
        sums = daily[(*facts.key, facts.source, facts.hour)]
        sums["issued"] += 1
        sums["arrived"] += facts.arrival
        if facts.outcome:
            sums[facts.outcome] += 1
        if facts.wait is not None:
            sums["waited"] += 1
            sums["wait_seconds"] += facts.wait
            durations[(*facts.key, "wait", facts.wait // 60)] += 1
        if facts.service is not None:
            sums["timed"] += 1
            sums["service_seconds"] += facts.service
            sums["within_standard"] += facts.service <= context.standard_of[service_id]
            durations[(*facts.key, "service", facts.service // 60)] += 1
    return DayRows(days, _daily_rows(daily), _duration_rows(durations), read)


def replace_days(session: Session, rows: DayRows) -> None:
    """Write computed rows in place of the roll-ups of their days; flushes, never commits."""
    session.execute(delete(ReportDaily).where(ReportDaily.business_date.in_(rows.days)))
    session.execute(delete(ReportDuration).where(ReportDuration.business_date.in_(rows.days)))
    if rows.daily:
        session.execute(insert(ReportDaily), rows.daily)
    if rows.durations:
        session.execute(insert(ReportDuration), rows.durations)


def rebuild_days(session: Session, days: Iterable[date]) -> int:
    """Replace the roll-up rows of ``days`` with fresh ones in one transaction; the number of
    tickets read. (The background job uses compute_days and replace_days a day at a time.)"""
    days = sorted(set(days))
    context = read_context(session)
    read = 0
    for start in range(0, len(days), DAYS_PER_BATCH):
        rows = compute_days(session, days[start : start + DAYS_PER_BATCH], context)
        replace_days(session, rows)
        read += rows.tickets
    return read


def _daily_rows(daily: dict) -> list[dict]:
    return [
        {
            "business_date": day,
            "weekday": day.weekday(),
            "agency_id": agency,
            "service_id": service,
            "counter_id": counter,
            "clerk_id": clerk,
            "source": source,
            "hour": hour,
            **{name: sums.get(name, 0) for name in _SUMS},
        }
        for (day, agency, service, counter, clerk, source, hour), sums in daily.items()
    ]


def _duration_rows(durations: dict) -> list[dict]:
    return [
        {
            "business_date": day,
            "agency_id": agency,
            "service_id": service,
            "counter_id": counter,
            "clerk_id": clerk,
            "kind": kind,
            "minutes": minutes,
            "tickets": n,
        }
        for (day, agency, service, counter, clerk, kind, minutes), n in durations.items()
    ]


_SUMS = (
    "issued",
    "arrived",
    "served",
    "no_show",
    "cancelled",
    "transferred",
    "waited",
    "wait_seconds",
    "timed",
    "service_seconds",
    "within_standard",
)


def lock_state(session: Session) -> ReportState:
    """The roll-ups' state row, locked (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
    serialises writers already): one writer of the roll-ups at a time, and none while a site
    sync import (which holds it too) is uncommitted."""
    state = session.execute(
        select(ReportState).where(ReportState.name == STATE).with_for_update()
    ).scalar_one_or_none()
    if state is None:
        state = ReportState(name=STATE, last_log_id=0)
        session.add(state)
        session.flush()
    return state


def newest_log_id(session: Session) -> int:
    return session.execute(select(func.max(TicketLog.id))).scalar() or 0


def days_touched(session: Session, after: int, upto: int, moment: datetime) -> list[date]:
    """The business days with log entries in (after, upto], plus each site's today."""
    touched = session.execute(
        select(Ticket.business_date)
        .join(TicketLog, TicketLog.ticket_id == Ticket.id)
        .where(TicketLog.id > after, TicketLog.id <= upto)
        .distinct()
    ).scalars()
    # Today is always rebuilt when anything moved: on PostgreSQL a log id can commit after a
    # higher one, and only the live day can be written to concurrently.
    zones = set(session.execute(select(Site.timezone)).scalars())
    today = {timeutil.business_date(moment, zone) for zone in zones}  # WIB, WITA, WIT
    return sorted(set(touched) | today)


def refresh_rollups(session: Session, now: datetime | None = None) -> list[date]:
    """Fold log entries written since the last refresh into the roll-ups, in this one
    transaction; the days rebuilt. (Tests and benchmarks; the server's background job is
    shared.reports.refresher, which commits a day at a time.)"""
    state = lock_state(session)
    newest = newest_log_id(session)
    if newest <= state.last_log_id:
        return []
    moment = now or timeutil.now_utc()
    days = days_touched(session, state.last_log_id, newest, moment)
    rebuild_days(session, days)
    state.last_log_id = newest
    state.refreshed_at = moment
    session.flush()
    return days
