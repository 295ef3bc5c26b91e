"""Calling tickets to a counter: next in line, a specific number, or again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from shared import rows, timeutil
from shared.audit import record_audit
from shared.models import Counter, StaffUser, Ticket
from shared.queue import errors, publishing, states
from shared.queue.loading import load_around_counter
from shared.queue.ordering import next_for_services
from shared.queue.sites import get_site
from shared.sql import in_values, plain_rows, plain_write

MAX_RACES = 20


# Built once (building a statement cost more than running it); values bound at each execution.
_ACTIVE_AT = (
    select(Ticket)
    .where(Ticket.counter_id == bindparam("counter_id"), in_values(Ticket.status, states.ACTIVE))
    .order_by(Ticket.called_at.desc())
    .limit(1)
)


def _claim_statement(*, unless_locked: bool):
    """Move one waiting ticket to a counter. SET values are bound under other names than their
    columns' (SQLAlchemy reserves those). The row comes back as the UPDATE left it, into the
    session's own instance (``rows.loaded``): no second SELECT, and a plain statement (on
    SQLite's own cursor), not the ORM's handling of one.

    ``unless_locked``: on PostgreSQL a row another transaction is claiming (locked, not yet
    committed) is passed over at once (``FOR UPDATE SKIP LOCKED``) instead of waited for: clerks
    calling one queue at the same moment each take a different head instead of queueing behind
    the first one's whole transaction. SQLite, one writer at a time, has no such rows.
    """
    waiting = Ticket.status == states.WAITING
    target = Ticket.id == bindparam("ticket_id")
    if unless_locked:
        free = select(Ticket.id).where(target, waiting).with_for_update(skip_locked=True)
        target = Ticket.id == free.scalar_subquery()
    table = Ticket.__table__
    return (
        update(table)
        .where(target, waiting)
        .values(
            status=states.CALLED,
            counter_id=bindparam("to_counter"),
            clerk_id=bindparam("by_clerk"),
            called_at=bindparam("at"),
            recall_count=0,
        )
        .returning(*table.c)
    )


_CLAIM = _claim_statement(unless_locked=False)  # built once, as above
_CLAIM_UNLESS_LOCKED = _claim_statement(unless_locked=True)


def active_ticket(session: Session, counter: Counter) -> Ticket | None:
    """The ticket called to or being served at this counter, if any."""
    return session.execute(_ACTIVE_AT, {"counter_id": counter.id}).scalar_one_or_none()


# The number of the ticket a counter is busy with: a call asks each time, and finds none.
_BUSY_WITH = _ACTIVE_AT.with_only_columns(Ticket.display_number)


def _ready(session: Session, counter: Counter) -> None:
    if counter.status != Counter.OPEN:
        raise errors.CounterNotOpen(counter=counter.name)
    busy = plain_rows(session, _BUSY_WITH, {"counter_id": counter.id}).scalar_one_or_none()
    if busy is not None:
        raise errors.CounterBusy(counter=counter.name, number=busy)


def _claim(
    session: Session,
    ticket_id: int,
    counter: Counter,
    clerk: StaffUser | None,
    now: datetime,
    *,
    wait: bool = True,
) -> Ticket | None:
    """Move a waiting ticket to this counter unless another counter got it first (None); without
    ``wait``, also None while another transaction is claiming it."""
    params = {
        "ticket_id": ticket_id,
        "to_counter": counter.id,
        "by_clerk": clerk.id if clerk else None,
        "at": now,
    }
    row = plain_write(session, _CLAIM if wait else _CLAIM_UNLESS_LOCKED, params).one_or_none()
    ticket = None if row is None else rows.loaded(session, Ticket, row)
    if ticket is None:
        return None
    states.log_change(session, ticket, "call", states.WAITING, at=now, actor=clerk, counter=counter)
    publishing.ticket_changed(session, ticket, "call", now)
    return ticket


def call_next(
    session: Session,
    counter: Counter,
    clerk: StaffUser | None = None,
    *,
    request_id: str | None = None,
    now: datetime | None = None,
) -> Ticket | None:
    """Call whoever is next for this counter; None when nobody is waiting.

    The same ``request_id`` twice (a retried click) answers with the ticket already called.
    """
    now = now or timeutil.now_utc()
    if request_id and counter.last_call_request == request_id:
        return active_ticket(session, counter)
    _ready(session, counter)
    day = timeutil.business_date(now, get_site(session, counter.site_id).timezone)
    load_around_counter(session, counter)  # with what the commit's placing reads (loading.py)
    for _ in range(MAX_RACES):
        candidates = next_for_services(session, counter.services, day, counter.doctor_id)
        if not candidates:
            return None
        # The first candidate no other clerk is claiming; if all are being claimed, wait for the
        # best one's claim to end (it may roll back), then look again.
        for ticket_id, wait in [*((c, False) for c in candidates), (candidates[0], True)]:
            ticket = _claim(session, ticket_id, counter, clerk, now, wait=wait)
            if ticket is not None:
                rows.write_update(session, counter, {"last_call_request": request_id})
                return ticket
        session.expire_all()  # others took every candidate: look again
    raise errors.DomainError(errors.N_("The queue is very busy: please try again."))


def call_ticket(
    session: Session,
    counter: Counter,
    ticket: Ticket,
    clerk: StaffUser | None = None,
    *,
    now: datetime | None = None,
) -> Ticket:
    """Call a specific waiting ticket (Panggil nomor): audited, as it bypasses the queue."""
    now = now or timeutil.now_utc()
    if ticket.service not in counter.services:
        raise errors.WrongCounter(number=ticket.display_number)
    states.check(ticket, "call")
    _ready(session, counter)
    if _claim(session, ticket.id, counter, clerk, now) is None:
        session.refresh(ticket)
        states.check(ticket, "call")  # raises: someone else called it
    record_audit(
        session,
        clerk,
        "ticket.call_specific",
        "ticket",
        ticket.id,
        {"number": ticket.display_number, "counter": counter.number},
        at=now,
    )
    return ticket


def recall_ticket(
    session: Session, ticket: Ticket, clerk: StaffUser | None = None, *, now: datetime | None = None
) -> Ticket:
    """Call the same ticket again, up to the service's recall limit."""
    now = now or timeutil.now_utc()
    states.check(ticket, "recall")
    if ticket.recall_count >= ticket.service.recall_limit:
        raise errors.RecallLimitReached(
            number=ticket.display_number, limit=ticket.service.recall_limit
        )
    recalls = {"recall_count": ticket.recall_count + 1}
    states.apply(session, ticket, "recall", at=now, actor=clerk, changes=recalls)
    publishing.ticket_changed(session, ticket, "recall", now)
    return ticket
