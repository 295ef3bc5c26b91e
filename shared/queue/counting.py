"""One waiting ticket's place from counts along the index, without reading its queue.

The rules are those of ``ordering.py`` (interleaving, merge by head), counted instead of
replayed. A merge of several services' orders is a count only while the other services' orders
are sorted by queue key (one priority class waiting in each): :func:`ahead_in_merge` answers
None otherwise, and the caller places the ticket another way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from shared.models import DoctorSession, Service, Ticket
from shared.queue.ordering import REGULAR, class_queue, queue_key, regular_streak
from shared.queue.states import WAITING
from shared.sql import in_list, list_params, plain_rows

KEY_COLUMNS = (Ticket.boost, Ticket.queued_at, Ticket.id)


def ahead_in_interleaving(
    index: int, is_priority: bool, others: int, ratio: int, streak: int
) -> int:
    """Where the ``index``-th ticket of its class lands in ``ordering.interleave``, without the
    lists: ``others`` tickets wait in the other class."""
    if ratio <= 0:  # priority always first
        return index if is_priority else index + others
    first = max(0, ratio - streak)  # regular tickets called before the first priority one
    if is_priority:
        return index + min(others, first + index * ratio)
    return index + min(others, 0 if index < first else 1 + (index - first) // ratio)


@functools.lru_cache(maxsize=64)
def _tally_statement(by_doctor: bool, services: int):
    """Built once per shape (building costs more than running it); the services, day, key and
    doctor are bound at each execution."""
    # Typed as the columns, so a queue time compares as the stored UTC on every database.
    bound = tuple_(*(bindparam(f"below_{n}", type_=c.type) for n, c in enumerate(KEY_COLUMNS)))
    under = case((tuple_(*KEY_COLUMNS) < bound, 1), else_=0)
    stmt = select(Ticket.service_id, Ticket.priority, func.count(), func.sum(under)).where(
        in_list(Ticket.service_id, "service", services),
        Ticket.business_date == bindparam("day"),
        Ticket.status == WAITING,
    )
    if by_doctor:  # as a doctor's room sees its queue (ordering.py)
        mine = select(DoctorSession.id).where(DoctorSession.doctor_id == bindparam("doctor_id"))
        stmt = stmt.where(
            or_(Ticket.doctor_session_id.is_(None), Ticket.doctor_session_id.in_(mine))
        )
    # Grouped by the index's own columns (ix_ticket_call_order), the rows arrive grouped: grouped
    # by the priority class instead, SQLite sorted every waiting row in a temporary B-tree, which
    # doubled the statement's cost at 1,000 waiting. The classes are summed in Python.
    return stmt.group_by(Ticket.service_id, Ticket.priority)


def _tally(session, service_ids, day, below: tuple, doctor_id=None) -> dict:
    """{(service id, priority class?): (waiting, waiting with a queue key under ``below``)}, in
    one statement along the index."""
    params = {f"below_{n}": value for n, value in enumerate(below)}
    service_ids = list(service_ids)
    params |= {**list_params("service", service_ids), "day": day, "doctor_id": doctor_id}
    rows = plain_rows(session, _tally_statement(doctor_id is not None, len(service_ids)), params)
    tally: dict[tuple[int, bool], tuple[int, int]] = {}
    for service_id, priority, n, under in rows:
        key = (service_id, priority != REGULAR)
        before = tally.get(key, (0, 0))
        tally[key] = (before[0] + n, before[1] + under)
    return tally


@functools.cache
def _key_statement(priority: bool, by_doctor: bool):
    """Built once per shape; the service, day, doctor and offset are bound at each execution."""
    service_id, day = bindparam("service_id"), bindparam("day")
    doctor_id = bindparam("doctor_id") if by_doctor else None
    queue = class_queue(service_id, day, priority, doctor_id, *KEY_COLUMNS)
    offset = bindparam("offset", type_=Integer)
    return select(queue).order_by(*queue.c).offset(offset).limit(1)


def _key_at(session, service_id, day, priority: bool, doctor_id, offset: int) -> tuple:
    """The queue key of a class's ``offset``-th waiting ticket."""
    stmt = _key_statement(priority, doctor_id is not None)
    params = {"service_id": service_id, "day": day, "doctor_id": doctor_id, "offset": offset}
    return tuple(plain_rows(session, stmt, params).one())


def index_in_order(
    session: Session, ticket: Ticket, doctor_id: int | None = None
) -> tuple[int, tuple]:
    """A waiting ticket's index in its service's call order, and the highest queue key among
    the tickets up to it (what a merge with other services depends on)."""
    own = _tally(session, [ticket.service_id], ticket.business_date, queue_key(ticket), doctor_id)
    return _index_in(session, ticket, own, doctor_id)


def _index_in(
    session: Session, ticket: Ticket, tally: dict, doctor_id: int | None
) -> tuple[int, tuple]:
    """:func:`index_in_order` from the tally of the ticket's own service."""
    day, service = ticket.business_date, ticket.service
    key = queue_key(ticket)
    is_priority = ticket.priority != REGULAR
    mine = tally.get((service.id, is_priority), (0, 0))[1]
    others = tally.get((service.id, not is_priority), (0, 0))[0]
    streak = regular_streak(session, service, day) if others else 0
    index = ahead_in_interleaving(mine, is_priority, others, service.priority_ratio, streak)
    if index > mine:  # the other class's last ticket before this one may queue later
        last = _key_at(session, service.id, day, not is_priority, doctor_id, index - mine - 1)
        key = max(key, last)
    return index, key


def ahead_in_merge(
    session: Session, ticket: Ticket, service_sets: Sequence[tuple[Service, ...]]
) -> int | None:
    """The fewest tickets ahead over counters calling these sets of services (each holding the
    ticket's own), as ``position._soonest`` replays it; None when a merge is not a count."""
    aheads = ahead_in_each_merge(session, ticket, service_sets)
    return None if aheads is None else min(aheads)


def ahead_in_each_merge(
    session: Session, ticket: Ticket, service_sets: Sequence[tuple[Service, ...]]
) -> list[int] | None:
    """The tickets ahead in each set's merge (the ticket's own order alone when there is no
    set), in the order given; None when a merge is not a count."""
    counted = count_in_merges(session, ticket, service_sets)
    return None if counted is None else counted.aheads


@dataclass
class Counted:
    aheads: list[int]  # tickets ahead in each merge
    index: int  # tickets ahead in its own service's order
    waiting: int  # waiting tickets of the ticket's own service, itself included


def count_in_merges(
    session: Session, ticket: Ticket, service_sets: Sequence[tuple[Service, ...]]
) -> Counted | None:
    """:func:`ahead_in_each_merge`, with the count of its own service's waiting tickets that
    the same statement gives."""
    day, key = ticket.business_date, queue_key(ticket)
    others = {s.id for services in service_sets for s in services} - {ticket.service_id}
    # Counted under the ticket's own key first, the other services with its own service in one
    # statement; counted again only when a ticket of the other class goes before it (it then
    # decides what the merges hold ahead of it).
    tally = _tally(session, [ticket.service_id, *sorted(others)], day, key)
    own = {k: v for k, v in tally.items() if k[0] == ticket.service_id}
    index, highest = _index_in(session, ticket, own, None)
    if others and highest != key:
        tally = _tally(session, sorted(others), day, highest)
    aheads = []
    for services in service_sets or [(ticket.service,)]:
        ahead = index
        for other in services:
            if other.id == ticket.service_id:
                continue
            classes = [tally[key] for key in ((other.id, True), (other.id, False)) if key in tally]
            if len(classes) > 1:
                return None  # its own order is not sorted by queue key: replay instead
            # A sorted order gives a merge every ticket queued under the highest key so far.
            ahead += sum(under for _, under in classes)
        aheads.append(ahead)
    return Counted(aheads, index, sum(n for n, _ in own.values()))
