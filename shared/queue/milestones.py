"""A visit's milestones, read from its append-only ticket log: the BPJS Antrean RS task ids and a
SATUSEHAT Encounter's statusHistory.

Each ticket of the visit belongs to a pathway step, and the step's ``stage`` names what it is for
(registration, poli, pharmacy, ...), so nothing here knows a site or a service. A task is the
first log row that marks it; a visit sent back (poli → registration → poli) keeps the first
occurrence, so no task is reported twice.

| task | when | log row |
| --- | --- | --- |
| 1 | registration wait starts | "issue" of the first registration ticket |
| 2 | registration service starts | its "start" (none: its "call") |
| 3 | registration ends, poli wait starts | "issue" of the first poli ticket (*) |
| 4 | poli service starts | "start" of a poli ticket (none: "call") |
| 5 | poli ends, pharmacy wait starts | "finish" of a poli ticket |
| 6 | pharmacy starts making the drugs | "start" of a pharmacy ticket (none: "call") |
| 7 | drugs ready | "finish" of a pharmacy ticket |
| 99 | no-show or cancelled | the visit's last ticket ended so |

(*) A booking checked in straight into the poli starts at task 3, its check-in (the poli
ticket's issue); tasks 1 and 2 are absent.

BPJS wants each task after the one before, times in milliseconds: when two coincide (a finish
and the next step's issue share one instant) or the clock stepped back, the later task is put
1 ms after the one before it. Times are milliseconds since the epoch (UTC), as ints.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Ticket, TicketLog, Visit
from shared.queue import pathways, states

NO_SHOW_OR_CANCELLED = 99
ENDED_EARLY = {states.NO_SHOW: "no_show", states.CANCELLED: "cancel"}


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware time, in integers: ``timestamp()`` is a float
    and may turn 123 ms into 122.999."""
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def visit_log(session: Session, visit: Visit) -> list[TicketLog]:
    """The visit's log rows, oldest first (ties by id: the order they were written)."""
    ids = [t.id for t in visit.tickets]
    if not ids:
        return []
    stmt = select(TicketLog).where(TicketLog.ticket_id.in_(ids))
    return list(session.execute(stmt.order_by(TicketLog.at, TicketLog.id)).scalars())


def _stages(visit: Visit) -> dict[int, str]:
    """Ticket id → its step's stage (tickets on no step have none)."""
    found = {}
    for ticket in visit.tickets:
        step = pathways.step_of(visit, ticket)
        if step is not None:
            found[ticket.id] = step.stage
    return found


def _first(rows: Iterable[TicketLog], stages: dict[int, str], stage: str, *actions: str):
    """The first ticket at ``stage`` with one of ``actions``, and its row of the first action it
    has (its "start", else its "call"): a later ticket of the stage never stands in for it."""
    by_ticket: dict[int, list[TicketLog]] = {}
    for row in rows:  # oldest first, so tickets come in the order they began
        if stages.get(row.ticket_id) == stage:
            by_ticket.setdefault(row.ticket_id, []).append(row)
    for ticket_rows in by_ticket.values():
        for action in actions:
            found = next((r for r in ticket_rows if r.action == action), None)
            if found is not None:
                return found
    return None


def _ended_early(visit: Visit, rows: list[TicketLog]) -> TicketLog | None:
    """The no-show or cancellation that ended the visit (a reactivated no-show did not)."""
    if not visit.tickets:
        return None
    last = max(visit.tickets, key=lambda t: t.id)
    action = ENDED_EARLY.get(last.status)
    if action is None:
        return None
    return next((r for r in reversed(rows) if r.ticket_id == last.id and r.action == action), None)


def _moments(session: Session, visit: Visit) -> list[tuple[int, datetime]]:
    rows = visit_log(session, visit)
    stages = _stages(visit)
    wanted = [
        (1, "registration", ("issue",)),
        (2, "registration", ("start", "call")),
        (3, "poli", ("issue",)),
        (4, "poli", ("start", "call")),
        (5, "poli", ("finish",)),
        (6, "pharmacy", ("start", "call")),
        (7, "pharmacy", ("finish",)),
    ]
    found = []
    for taskid, stage, actions in wanted:
        row = _first(rows, stages, stage, *actions)
        if row is not None:
            found.append((taskid, row.at))
    ended = _ended_early(visit, rows)
    if ended is not None:
        found.append((NO_SHOW_OR_CANCELLED, ended.at))
    return found


def bpjs_tasks(session: Session, visit: Visit) -> list[dict]:
    """``[{"taskid": 1, "waktu": <ms epoch>}, ...]`` in task order, times strictly increasing."""
    tasks, last = [], None
    for taskid, moment in _moments(session, visit):
        waktu = epoch_ms(moment)
        if last is not None and waktu <= last:
            waktu = last + 1  # BPJS refuses a task not later than the one before
        tasks.append({"taskid": taskid, "waktu": waktu})
        last = waktu
    return tasks


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def encounter_status_history(session: Session, visit: Visit) -> list[dict]:
    """A SATUSEHAT Encounter's ``statusHistory``: arrived → in-progress → finished.

    arrived: from the visit's first ticket issued (registration, or a booking's check-in at the
    poli) to the poli's start; in-progress: from the poli's start to the end of the last step;
    finished: when the last step ended (start = end). A status not reached yet is absent, and
    the current one has no end. Times are ISO 8601 in UTC with milliseconds.
    """
    rows = visit_log(session, visit)
    if not rows:
        return []
    stages = _stages(visit)
    arrived = next((r.at for r in rows if r.action == "issue"), rows[0].at)
    started = _first(rows, stages, "poli", "start", "call")
    finished = _finished_at(visit, rows)
    history = [_period("arrived", arrived, started.at if started else finished)]
    if started is not None:
        history.append(_period("in-progress", started.at, finished))
    if finished is not None:
        history.append(_period("finished", finished, finished))
    return history


def _finished_at(visit: Visit, rows: list[TicketLog]) -> datetime | None:
    """When the visit's last step was finished: its newest ticket done, nothing left to queue."""
    last: Ticket = max(visit.tickets, key=lambda t: t.id)
    if last.status != states.DONE:
        return None
    finish = next(
        (r for r in reversed(rows) if r.ticket_id == last.id and r.action == "finish"), None
    )
    return finish.at if finish is not None else last.finished_at


def _period(status: str, start: datetime, end: datetime | None) -> dict:
    period = {"start": _iso(start)}
    if end is not None:
        period["end"] = _iso(end)
    return {"status": status, "period": period}
