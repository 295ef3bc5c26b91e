"""BPJS task ids from a visit's ticket log: which step's which action completes which task.

| step's stage | log action | task |
| registration | issue      | 1 waiting for registration starts |
| registration | start      | 2 registration service starts |
| poli         | issue      | 3 registration ends / poli wait starts (a booking checked in
|              |            |   straight to the poli starts here) |
| poli         | start      | 4 poli service starts |
| poli         | finish     | 5 poli ends / pharmacy wait starts |
| pharmacy     | start      | 6 pharmacy starts making the drugs |
| pharmacy     | finish     | 7 drugs handed over |
| any (last)   | no_show, cancel | 99 no-show or cancelled |

The first log row of each pair counts (a recall or a reactivation does not move a task). A
ticket cannot be finished without "start" (shared/queue/states.py), so 2, 4 and 6 are the starts.
The same table as shared/queue/milestones.py of the patient-identity branch, computed here
incrementally: a task once written is never recomputed or sent again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import TicketLog, Visit

TASKS = {
    ("registration", "issue"): 1,
    ("registration", "start"): 2,
    ("poli", "issue"): 3,
    ("poli", "start"): 4,
    ("poli", "finish"): 5,
    ("pharmacy", "start"): 6,
    ("pharmacy", "finish"): 7,
}
ENDED = frozenset({"no_show", "cancel"})
CANCELLED = 99


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def visit_milestones(session: Session, visit: Visit) -> dict[int, datetime]:
    """{task id: when} for the tasks the visit's log has completed so far."""
    from shared.queue.pathways import step_of  # (shared.queue publishes through this module)

    stages = {}
    for ticket in visit.tickets:
        step = step_of(visit, ticket)
        stages[ticket.id] = step.stage if step is not None else None
    rows = session.execute(
        select(TicketLog.ticket_id, TicketLog.action, TicketLog.at)
        .where(TicketLog.ticket_id.in_(list(stages)))
        .order_by(TicketLog.at, TicketLog.id)
    ).all()
    found: dict[int, datetime] = {}
    last_ticket = max(stages) if stages else None
    for ticket_id, action, at in rows:
        task = TASKS.get((stages.get(ticket_id), action))
        if task is None and action in ENDED and ticket_id == last_ticket:
            task = CANCELLED
        if task is not None:
            found.setdefault(task, at)
    # A no-show later reactivated is no end: 99 only while the last ticket is still ended.
    if CANCELLED in found and visit.tickets[-1].status not in ("no_show", "cancelled"):
        del found[CANCELLED]
    return found
