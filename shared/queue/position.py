"""A ticket's place in its queue: people ahead and the estimated wait.

People ahead is the number of tickets "call next" would take before this one. One counter calls
in the order of :func:`ordering.merge_by_head` over the services it serves (each service's
priority interleaving kept); a ticket is then as far ahead as the counter that reaches it
soonest: the fewest tickets any one counter serving its service would call before it. Only open
counters count (all counters of the service while none is open). When every counter serving the
service serves the same services this is exact; when they differ it is the optimistic bound,
because tickets of the service itself are always called in their own order.

:func:`queue_positions` computes this for a whole queue at once (one pass per distinct set of
services among its counters); the kiosk's answer, the printed ticket, the ticket page and the
``/ticket`` events all read it, through :func:`ticket_position` or directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, Service, Ticket
from shared.queue.availability import estimate_minutes, minutes_per_ticket
from shared.queue.ordering import merge_by_head, ordered_rows
from shared.queue.states import WAITING


@dataclass
class Position:
    people_ahead: int
    eta_minutes: int


@dataclass
class QueuePositions:
    """Every waiting ticket of one service: ``order[i]`` has ``people_ahead[i]`` before it."""

    service_id: int
    order: list[int]
    people_ahead: list[int]
    eta_minutes: list[int]
    minutes_per_ticket: float
    open_counters: int

    def of(self, ticket_id: int) -> Position | None:
        try:
            index = self.order.index(ticket_id)
        except ValueError:
            return None
        return Position(self.people_ahead[index], self.eta_minutes[index])


@dataclass
class CallOrders:
    """Each service's call order, read once however many queues are placed with it."""

    session: Session
    day: date
    _rows: dict[int, list] = field(default_factory=dict)

    def rows(self, service: Service) -> list:
        if service.id not in self._rows:
            self._rows[service.id] = ordered_rows(self.session, service, self.day)
        return self._rows[service.id]


def calling_counters(service: Service) -> list[Counter]:
    """The counters whose "call next" takes this service: the open ones, else all of them."""
    counters = list(service.counters)
    return [c for c in counters if c.status == Counter.OPEN] or counters


def queue_positions(
    session: Session, service: Service, day: date, orders: CallOrders | None = None
) -> QueuePositions:
    """People ahead and estimated wait of every waiting ticket of ``service`` (see above)."""
    orders = orders or CallOrders(session, day)
    own = orders.rows(service)
    mine = {row.id for row in own}
    counters = calling_counters(service)
    service_sets = {
        tuple(s for s in counter.services if s.active or s.id == service.id) for counter in counters
    }
    ahead: dict[int, int] = {}
    for services in service_sets:
        merged = merge_by_head([orders.rows(s) for s in services])
        for index, row in enumerate(merged):
            if row.id in mine and index < ahead.get(row.id, index + 1):
                ahead[row.id] = index
    if not service_sets:  # no counter serves it: its own order is all there is
        ahead = {row.id: index for index, row in enumerate(own)}
    per_ticket = minutes_per_ticket(session, service, day)
    open_counters = sum(1 for c in counters if c.status == Counter.OPEN)
    order = [row.id for row in own]
    people = [ahead[ticket_id] for ticket_id in order]
    return QueuePositions(
        service_id=service.id,
        order=order,
        people_ahead=people,
        eta_minutes=[estimate_minutes(n, per_ticket, open_counters) for n in people],
        minutes_per_ticket=per_ticket,
        open_counters=open_counters,
    )


def ticket_position(session: Session, ticket: Ticket, now: datetime | None = None) -> Position:
    """Where a waiting ticket stands; a ticket no longer waiting has nobody ahead."""
    if ticket.status != WAITING:
        return Position(0, 0)
    positions = queue_positions(session, ticket.service, ticket.business_date)
    found = positions.of(ticket.id)
    if found is None:  # not in the queue it claims (read mid-change): behind everyone
        ahead = len(positions.order)
        eta = estimate_minutes(ahead, positions.minutes_per_ticket, positions.open_counters)
        return Position(ahead, eta)
    return found


def latest_in_visit(ticket: Ticket) -> Ticket:
    """After a transfer the public link follows the citizen to the visit's newest ticket."""
    return max(ticket.visit.tickets, key=lambda t: t.id)


def is_expired(ticket: Ticket, tz: str, now: datetime | None = None) -> bool:
    return ticket.business_date < timeutil.business_date(now or timeutil.now_utc(), tz)
