"""A new ticket's place, and whether its arrival moved anybody else's.

Most tickets join a queue last, far from its counters. Such an arrival changes no place in any
queue's head (the tickets fewer than a window of calls away, what the ``/ticket`` events carry
and the alerts read), nor the count of calls or the live rate: the heads need not be placed
again. Last in its own order matters: a ticket that goes ahead of older ones of its service (a
priority group) changes when a counter serving several services reaches those, even when it is
itself called late. Only counts along the index are read (counting.py), whatever the queue's
length.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from shared.models import Counter, DoctorSession, Ticket
from shared.queue.availability import estimate_minutes, minutes_per_ticket
from shared.queue.counting import count_in_merges
from shared.queue.loading import Desk
from shared.queue.position import Position, calling_among, counter_service_sets
from shared.queue.sites import has_doctors
from shared.queue.states import WAITING

# Built once: every arrival asks whether its service has doctors' sessions today.
_A_SESSION_TODAY = (
    select(DoctorSession.id)
    .where(
        DoctorSession.service_id == bindparam("service_id"), DoctorSession.day == bindparam("day")
    )
    .limit(1)
)


@dataclass
class Arrival:
    """A waiting ticket just queued: its place, the fewest tickets ahead of it in any merge that
    holds its service (every counter of it, open or not: another service's head may be placed
    with a closed one), and whether it is last in its service's own order."""

    place: Position
    fewest_ahead: int
    last_in_order: bool
    minutes_per_ticket: float
    open_counters: int
    waiting: int  # its service's waiting tickets, itself included


def place_arrival(session: Session, ticket: Ticket, desks: list[Desk]) -> Arrival | None:
    """``desks``: the counters of the ticket's service (``loading.desks_of``).

    None when counts do not give the answer: a doctor's session (its rooms see another order),
    or a merge that is not a count (counting.py). The caller places the heads then."""
    service = ticket.service
    if ticket.status != WAITING or ticket.doctor_session_id is not None:
        return None
    if _has_session_today(session, service, ticket.business_date):
        return None  # its doctors' rooms place it in their own orders
    every_set = sorted(counter_service_sets(desks, service), key=_ids)
    counted = count_in_merges(session, ticket, every_set)
    if counted is None:
        return None
    aheads = counted.aheads
    # No counter at all: one answer, the ticket's own order (the default below).
    by_set = dict(zip(map(_ids, every_set), aheads, strict=False))
    calling = calling_among(desks)
    calling_sets = counter_service_sets(calling, service)
    ahead = min((by_set[_ids(s)] for s in calling_sets), default=min(aheads))
    per_ticket = minutes_per_ticket(session, service, ticket.business_date)
    open_counters = sum(1 for c in calling if c.status == Counter.OPEN)
    return Arrival(
        place=Position(ahead, estimate_minutes(ahead, per_ticket, open_counters)),
        fewest_ahead=min(aheads),
        last_in_order=counted.index == counted.waiting - 1,
        minutes_per_ticket=per_ticket,
        open_counters=open_counters,
        waiting=counted.waiting,
    )


def _has_session_today(session: Session, service, day) -> bool:
    """Whether doctors hold sessions of ``service`` on ``day``. A site without doctors (every
    MPP) has none: known from its kept configuration, without a statement."""
    if not has_doctors(session, service.site_id):
        return False
    found = session.execute(_A_SESSION_TODAY, {"service_id": service.id, "day": day})
    return found.first() is not None


def _ids(services: tuple) -> tuple[int, ...]:
    return tuple(s.id for s in services)
