"""The ticket state machine: which action may move a ticket from which state to which."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shared import rows
from shared.enums import TicketStatus
from shared.models import Counter, StaffUser, Ticket, TicketLog
from shared.queue.errors import InvalidTransition
from shared.sql import plain_write

# The stored values are TicketStatus's (shared/enums.py): its members compare equal to them.
WAITING, CALLED, SERVING, DONE, NO_SHOW, CANCELLED, TRANSFERRED = TicketStatus
STATUSES = TicketStatus.values()
ACTIVE = (CALLED, SERVING)  # a ticket at a counter
FINAL = (DONE, NO_SHOW, CANCELLED, TRANSFERRED)

# action: (states it may start from, state it ends in)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "call": (frozenset({WAITING}), CALLED),
    "recall": (frozenset({CALLED}), CALLED),
    "start": (frozenset({CALLED}), SERVING),
    "finish": (frozenset({SERVING}), DONE),
    "no_show": (frozenset({CALLED}), NO_SHOW),
    "cancel": (frozenset({WAITING, CALLED}), CANCELLED),
    "transfer": (frozenset({SERVING, DONE}), TRANSFERRED),
    "reactivate": (frozenset({NO_SHOW}), WAITING),
}


def check(ticket: Ticket, action: str) -> str:
    """The state ``action`` leads to, or InvalidTransition."""
    sources, target = TRANSITIONS[action]
    if ticket.status not in sources:
        raise InvalidTransition(number=ticket.display_number, status=ticket.status, action=action)
    return target


def log_change(
    session: Session,
    ticket: Ticket,
    action: str,
    from_status: str | None,
    *,
    at: datetime,
    actor: StaffUser | None = None,
    counter: Counter | None = None,
    note: str = "",
) -> None:
    """Write the log row of ``action`` on ``ticket`` (written already), as a plain INSERT.

    No TicketLog object is made: nothing reads a log row back in the transaction that writes it
    (reports and histories select them), and an object cost more than the row's write
    (docs/benchmarks.md, "sixteenth pass"). A rollback takes the row back with the rest."""
    values = {
        "ticket_id": ticket.id,
        "at": at,
        "action": action,
        "from_status": from_status,
        "to_status": ticket.status,
        "actor_id": actor.id if actor else None,
        "counter_id": counter.id if counter else ticket.counter_id,
        "note": note,
    }
    plain_write(session, _WRITE_LOG, values)


_WRITE_LOG = insert(TicketLog.__table__)  # built once: its SQL is compiled once per process


def apply(
    session: Session,
    ticket: Ticket,
    action: str,
    *,
    at: datetime,
    actor: StaffUser | None = None,
    counter: Counter | None = None,
    note: str = "",
    changes: dict | None = None,
) -> None:
    """Check, change and log in one step: the only way a ticket's status changes.

    ``changes``: the ticket's other attributes that change with it (``finished_at``), written in
    the same UPDATE (shared/rows.py), before its log row.
    """
    target = check(ticket, action)
    previous = ticket.status
    rows.write_update(session, ticket, {**(changes or {}), "status": target})
    log_change(session, ticket, action, previous, at=at, actor=actor, counter=counter, note=note)
