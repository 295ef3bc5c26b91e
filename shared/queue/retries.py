"""Retried clicks: an action whose result is already there answers with it instead of failing.

The console retries when the network hiccups, so "finish" may arrive twice. The second one finds
the ticket done *by a finish* and is answered with the current state; a ticket that is done for
another reason still gets the usual InvalidTransition. One rule for every action but "call next"
(which has its request id) and "recall" (which may be repeated on purpose: the console sends the
recall count it saw, and a count already passed means the recall happened).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Ticket, TicketLog
from shared.queue import states


def last_action(session: Session, ticket: Ticket) -> str | None:
    stmt = (
        select(TicketLog.action)
        .where(TicketLog.ticket_id == ticket.id)
        .order_by(TicketLog.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalar_one_or_none()


def already_done(
    session: Session, ticket: Ticket, action: str, *, seen_recalls: int | None = None
) -> bool:
    """True when ``action`` on ``ticket`` is a retry of one that already took effect."""
    if action == "recall":
        return (
            seen_recalls is not None
            and ticket.status == states.CALLED
            and ticket.recall_count > seen_recalls
        )
    target = states.TRANSITIONS[action][1]
    return ticket.status == target and last_action(session, ticket) == action


def perform_once(
    session: Session,
    ticket: Ticket,
    action: str,
    perform: Callable[[], Ticket],
    *,
    seen_recalls: int | None = None,
) -> tuple[Ticket, bool]:
    """Run ``perform`` unless it is a retry; returns (resulting ticket, whether it ran).

    For a transfer the resulting ticket is the new one in the target service.
    """
    if already_done(session, ticket, action, seen_recalls=seen_recalls):
        if action == "transfer":
            return transferred_to(ticket) or ticket, False
        return ticket, False
    return perform(), True


def transferred_to(ticket: Ticket) -> Ticket | None:
    """The ticket a transfer created from ``ticket`` (same visit)."""
    for other in ticket.visit.tickets:
        if other.transferred_from_id == ticket.id:
            return other
    return None
