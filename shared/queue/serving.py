"""Serving a called ticket to its end: start, finish, no-show, cancel, reactivate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared import timeutil
from shared.audit import record_audit
from shared.models import StaffUser, Ticket
from shared.queue import errors, pathways, publishing, states, stepping


def _act(session: Session, ticket: Ticket, action: str, now: datetime | None) -> datetime:
    now = now or timeutil.now_utc()
    states.check(ticket, action)
    return now


def start_ticket(
    session: Session, ticket: Ticket, clerk: StaffUser | None = None, *, now: datetime | None = None
) -> Ticket:
    now = _act(session, ticket, "start", now)
    states.apply(session, ticket, "start", at=now, actor=clerk, changes={"started_at": now})
    publishing.ticket_changed(session, ticket, "start", now)
    return ticket


def finish_ticket(
    session: Session,
    ticket: Ticket,
    clerk: StaffUser | None = None,
    *,
    note: str = "",
    next_service_id: int | None = None,
    doctor_session_id: int | None = None,
    end_visit: bool = False,
    prescription: str | None = None,
    now: datetime | None = None,
) -> Ticket:
    """End the ticket's step; on a pathway (or with ``next_service_id``) queue the next one.

    The visit's next ticket, if any, is the newest of ``ticket.visit.tickets``.
    """
    now = _act(session, ticket, "finish", now)
    if prescription is not None:
        if prescription not in pathways.PRESCRIPTIONS:
            raise errors.DomainError(errors.N_("Unknown prescription type."))
        ticket.visit.prescription = prescription
    changes = {"finished_at": now, **({"note": note} if note else {})}
    states.apply(session, ticket, "finish", at=now, actor=clerk, note=note, changes=changes)
    publishing.ticket_changed(session, ticket, "finish", now)
    stepping.advance_visit(
        session,
        ticket,
        next_service_id=next_service_id,
        doctor_session_id=doctor_session_id,
        end_visit=end_visit,
        actor=clerk,
        now=now,
    )
    return ticket


def mark_no_show(
    session: Session, ticket: Ticket, clerk: StaffUser | None = None, *, now: datetime | None = None
) -> Ticket:
    """Skip a called ticket whose citizen did not come, after the service's recalls."""
    now = _act(session, ticket, "no_show", now)
    limit = ticket.service.recall_limit
    if ticket.recall_count < limit:
        raise errors.RecallsRequired(number=ticket.display_number, limit=limit)
    states.apply(session, ticket, "no_show", at=now, actor=clerk, changes={"finished_at": now})
    publishing.ticket_changed(session, ticket, "no_show", now)
    return ticket


def cancel_ticket(
    session: Session,
    ticket: Ticket,
    actor: StaffUser | None = None,
    *,
    note: str = "",
    now: datetime | None = None,
) -> Ticket:
    now = _act(session, ticket, "cancel", now)
    changes = {"finished_at": now}
    states.apply(session, ticket, "cancel", at=now, actor=actor, note=note, changes=changes)
    record_audit(
        session,
        actor,
        "ticket.cancel",
        "ticket",
        ticket.id,
        {"number": ticket.display_number, "note": note},
        at=now,
    )
    publishing.ticket_changed(session, ticket, "cancel", now)
    return ticket


def reactivate_ticket(
    session: Session, ticket: Ticket, actor: StaffUser | None = None, *, now: datetime | None = None
) -> Ticket:
    """A no-show citizen turned up after all: back in the queue at their original place."""
    now = _act(session, ticket, "reactivate", now)
    counter = ticket.counter
    back = {"counter_id": None, "clerk_id": None, "finished_at": None, "recall_count": 0}
    states.apply(session, ticket, "reactivate", at=now, actor=actor, counter=counter, changes=back)
    publishing.ticket_changed(session, ticket, "reactivate", now)
    return ticket
