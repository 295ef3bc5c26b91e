"""Who is next: priority groups interleaved by the service's ratio, then queue time."""

from __future__ import annotations

import functools
import heapq
import operator
from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple, TypeVar

from sqlalchemy import Integer, Subquery, bindparam, or_, select, union_all
from sqlalchemy.orm import Session

from shared.models import DoctorSession, Service, Ticket
from shared.queue.states import WAITING
from shared.sql import plain_rows

T = TypeVar("T")

REGULAR = "none"
KEY = (Ticket.boost, Ticket.queued_at, Ticket.id)  # the queue order within a priority class
_TICKETS_BY_ID = select(Ticket).where(Ticket.id.in_(bindparam("ids", expanding=True)))


def interleave(priority: Sequence[T], regular: Sequence[T], ratio: int, streak: int) -> list[T]:
    """Merge two queues: one priority ticket after every ``ratio`` regular ones.

    ``streak`` is how many regular tickets were called since the last priority one. With ratio 0
    priority always goes first; an empty queue never holds the other one back.
    """
    merged: list[T] = []
    p = r = 0
    while p < len(priority) or r < len(regular):
        priority_due = streak >= ratio
        if p < len(priority) and (r >= len(regular) or priority_due):
            merged.append(priority[p])
            p += 1
            streak = 0
        else:
            merged.append(regular[r])
            r += 1
            streak += 1
    return merged


# Built once: every placing of a queue with both classes waiting asks (building a statement cost
# more than running it); the service, day and ratio are bound at each execution.
_LAST_CALLED = (
    select(Ticket.priority)
    .where(
        Ticket.service_id == bindparam("service_id"),
        Ticket.business_date == bindparam("day"),
        Ticket.called_at.is_not(None),
    )
    .order_by(Ticket.called_at.desc(), Ticket.id.desc())
    .limit(bindparam("ratio", type_=Integer))
)


def regular_streak(session: Session, service: Service, day: date) -> int:
    """Regular tickets called since the last priority call today (the ratio if none was)."""
    ratio = service.priority_ratio
    if ratio <= 0:
        return 0
    params = {"service_id": service.id, "day": day, "ratio": ratio}
    recent = plain_rows(session, _LAST_CALLED, params).scalars().all()
    for index, priority in enumerate(recent):
        if priority != REGULAR:
            return index
    return ratio


def queue_key(ticket) -> tuple:
    """Works on tickets and on the light rows of :func:`ordered_ids` alike."""
    return (ticket.boost, ticket.queued_at, ticket.id)


def _ranges(service_id: int, day: date, priority: bool, doctor_id: int | None, *columns):
    """One priority class's waiting tickets of a service (as a doctor's room sees them), as
    ranges of ``ix_ticket_call_order``: the regular class one range already in queue order, the
    priority class the two ranges either side of "none" (an OR of them would walk every waiting
    ticket), so reading it never walks the regular tickets."""
    parts = []
    for compare in (operator.lt, operator.gt) if priority else (operator.eq,):
        stmt = select(*columns).where(
            Ticket.service_id == service_id,
            Ticket.business_date == day,
            Ticket.status == WAITING,
            compare(Ticket.priority, REGULAR),
        )
        if doctor_id is not None:
            # A doctor's room calls its own session queue (and tickets that have no doctor).
            mine = select(DoctorSession.id).where(DoctorSession.doctor_id == doctor_id)
            stmt = stmt.where(
                or_(Ticket.doctor_session_id.is_(None), Ticket.doctor_session_id.in_(mine))
            )
        parts.append(stmt)
    return parts


def class_queue(
    service_id: int, day: date, priority: bool, doctor_id: int | None, *columns
) -> Subquery:
    """One priority class's waiting tickets as one subquery (see :func:`_ranges`)."""
    parts = _ranges(service_id, day, priority, doctor_id, *columns)
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()


@functools.cache
def _head_statement(by_doctor: bool, limited: bool):
    """Built once per shape (building a statement costs more than running it); the service,
    day, doctor and limit are bound at each execution."""
    columns = (Ticket.id, Ticket.priority, Ticket.boost, Ticket.queued_at)
    service_id, day = bindparam("service_id"), bindparam("day")
    doctor_id = bindparam("doctor_id") if by_doctor else None
    limit = bindparam("limit", type_=Integer)
    parts = []
    for priority in (True, False):
        for part in _ranges(service_id, day, priority, doctor_id, *columns):
            parts.append(select(part.order_by(*KEY).limit(limit).subquery()) if limited else part)
    return union_all(*parts)


# Several services' heads in one statement: at most this many services in it (SQLite allows 500
# terms in a compound SELECT; each service takes 3).
HEADS_PER_STATEMENT = 40


@functools.cache
def _heads_statement(count: int):
    """The limited heads of ``count`` services (no doctor's room) in one statement, built once
    per count; each row names its service."""
    columns = (Ticket.id, Ticket.priority, Ticket.boost, Ticket.queued_at, Ticket.service_id)
    day, limit = bindparam("day"), bindparam("limit", type_=Integer)
    parts = []
    for index in range(count):
        for priority in (True, False):
            for part in _ranges(bindparam(f"service_{index}"), day, priority, None, *columns):
                parts.append(select(part.order_by(*KEY).limit(limit).subquery()))
    return union_all(*parts)


class HeadRow(NamedTuple):
    """A waiting ticket as placing a queue reads it. Placing a call's queues asks each row for
    its queue key some 250 times a cycle: a named tuple answers a dozen times faster than a
    SQLAlchemy row (docs/benchmarks.md, "fifteenth pass")."""

    id: int
    priority: str
    boost: int
    queued_at: datetime
    service_id: int | None = None


def _in_call_order(session: Session, service: Service, day: date, rows, limit) -> list:
    """A service's rows (each class's first ``limit`` and more) in the order they are called."""
    rows = sorted((HeadRow(*row) for row in rows), key=queue_key)
    priority = [row for row in rows if row.priority != REGULAR][:limit]
    regular = [row for row in rows if row.priority == REGULAR]
    streak = regular_streak(session, service, day) if priority and regular else 0
    return interleave(priority, regular, service.priority_ratio, streak)[:limit]


def ordered_rows(
    session: Session,
    service: Service,
    day: date,
    doctor_id: int | None = None,
    limit: int | None = None,
) -> list:
    """One service's waiting tickets (light rows: id, priority, boost, queued_at) in the order
    they will be called (by the room of ``doctor_id``, when given); the first ``limit`` only.

    The first ``limit`` of the interleaving take at most ``limit`` from each class, so reading
    ``limit`` of each is exact: a class cut short runs out only once ``limit`` are placed.
    """
    # Each class's first ``limit`` in one statement whose ranges each stop after ``limit`` rows,
    # so a queue's head costs the same with 5 or 1,000 waiting.
    stmt = _head_statement(doctor_id is not None, limit is not None)
    params = {"service_id": service.id, "day": day, "doctor_id": doctor_id, "limit": limit}
    return _in_call_order(session, service, day, plain_rows(session, stmt, params).all(), limit)


def heads_of(session: Session, services: Sequence[Service], day: date, limit: int) -> dict:
    """{service id: what :func:`ordered_rows` gives with ``limit``} for several services (no
    doctor's room), in one statement per ``HEADS_PER_STATEMENT`` of them."""
    found = {}
    for start in range(0, len(services), HEADS_PER_STATEMENT):
        chunk = services[start : start + HEADS_PER_STATEMENT]
        params = {"day": day, "limit": limit} | {f"service_{i}": s.id for i, s in enumerate(chunk)}
        rows: dict[int, list] = {service.id: [] for service in chunk}
        for row in plain_rows(session, _heads_statement(len(chunk)), params):
            rows[row.service_id].append(row)
        for service in chunk:
            found[service.id] = _in_call_order(session, service, day, rows[service.id], limit)
    return found


def ordered_ids(session: Session, service: Service, day: date) -> list[int]:
    """The ids of one service's waiting tickets in the order they will be called."""
    return [row.id for row in ordered_rows(session, service, day)]


def merge_by_head(orders: Sequence[Sequence[T]]) -> list[T]:
    """The order one counter calls several services' queues in, as :func:`next_for_services`
    picks: each time, the service whose next ticket has queued longest (``queue_key``)."""
    heads = [(queue_key(order[0]), index, 0) for index, order in enumerate(orders) if order]
    heapq.heapify(heads)
    merged: list[T] = []
    while heads:
        _, index, at = heapq.heappop(heads)
        order = orders[index]
        merged.append(order[at])
        if at + 1 < len(order):
            heapq.heappush(heads, (queue_key(order[at + 1]), index, at + 1))
    return merged


def service_order(
    session: Session,
    service: Service,
    day: date,
    limit: int | None = None,
    doctor_id: int | None = None,
) -> list[Ticket]:
    """The waiting tickets themselves, in call order (the first ``limit`` of them)."""
    ids = [row.id for row in ordered_rows(session, service, day, doctor_id, limit)]
    if not ids:
        return []
    found = {t.id: t for t in session.execute(_TICKETS_BY_ID, {"ids": ids}).scalars()}
    return [found[i] for i in ids if i in found]


def next_for_services(
    session: Session, services: Sequence[Service], day: date, doctor_id: int | None = None
) -> list[int]:
    """The ids of the candidates for a counter serving several services, best first.

    Each service keeps its own interleaved order; between services the head that has queued
    longest goes first. A few spares follow in case another counter takes a head first. A
    doctor's room (``doctor_id``) takes only that doctor's session queue of the poli. Only the
    light rows are read: the claim loads the one ticket it takes (calling.py).
    """
    active = [s for s in services if s.active]
    if doctor_id is None:
        orders = list(heads_of(session, active, day, 3).values())
    else:
        orders = [ordered_rows(session, s, day, doctor_id, limit=3) for s in active]
    orders = sorted((o for o in orders if o), key=lambda o: queue_key(o[0]))
    return [row.id for order in orders for row in order[:3]]
