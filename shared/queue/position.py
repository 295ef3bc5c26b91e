"""A ticket's place in its queue: people ahead and the estimated wait.

People ahead is the number of tickets "call next" would take before this one. One counter calls
in the order of :func:`ordering.merge_by_head` over the services it serves (each service's
priority interleaving kept); a ticket is then as far ahead as the counter that reaches it
soonest: the fewest tickets any one counter serving its service would call before it. Only open
counters count (all counters of the service while none is open). When every counter serving the
service serves the same services this is exact; when they differ it is the optimistic bound,
because tickets of the service itself are always called in their own order. A ticket in a
doctor's session counts only what that doctor's rooms would call before it (a poli's queue is per
session).

:func:`queue_positions` computes this for a whole queue (the reference); :func:`queue_head`
the same for the tickets a window away, from the orders' heads (the ``/ticket`` events and the
alerts); :func:`ticket_position` one ticket (the kiosk, the paper, the ticket page): by counts
along the index where they give it, else from the head, and only else from the whole queue.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, DoctorSession, Service, Ticket
from shared.queue.availability import estimate_minutes, minutes_per_ticket
from shared.queue.counting import ahead_in_merge, index_in_order
from shared.queue.ordering import heads_of, merge_by_head, ordered_rows
from shared.queue.sites import has_doctors
from shared.queue.states import WAITING
from shared.sql import in_list, list_params, plain_rows

# Phones fewer than this many calls away get exact places in every /ticket "queue.changed".
HEAD_WINDOW = 10
# Built once (building a statement cost more than running it); values bound at each execution.
_DOCTORS_ON = select(DoctorSession.service_id, DoctorSession.doctor_id).where(
    DoctorSession.day == bindparam("day")
)


@functools.lru_cache(maxsize=64)
def _calls_on(services: int):
    return (
        select(Ticket.service_id, func.count())
        .where(
            in_list(Ticket.service_id, "service", services),
            Ticket.business_date == bindparam("day"),
            Ticket.called_at.is_not(None),
        )
        .group_by(Ticket.service_id)
    )


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
    """Each service's call order, read once however many queues are placed with it.

    With a ``limit`` only the head of each order is read (``ordering.ordered_rows``): enough to
    place exactly the tickets fewer than ``limit`` calls away.
    """

    session: Session
    day: date
    limit: int | None = None
    _rows: dict[tuple[int, int | None], list] = field(default_factory=dict)
    # Merges already made: a counter's services are merged once, not once per service it serves.
    _merges: dict[tuple[tuple[int, ...], int | None], list] = field(default_factory=dict)
    _doctors: dict[int, list[int]] | None = None
    # Live rates (availability.minutes_per_ticket) read ahead for several services at once.
    rates: dict[int, float] = field(default_factory=dict)

    def minutes_per_ticket(self, service: Service) -> float:
        if service.id not in self.rates:
            self.rates[service.id] = minutes_per_ticket(self.session, service, self.day)
        return self.rates[service.id]

    def doctors_today(self, service: Service) -> list[int]:
        """The doctors holding a session of ``service`` on the day: read once for every poli
        (a day has a handful of sessions, however long the queues); none at a site without
        doctors."""
        if not has_doctors(self.session, service.site_id):
            return []
        if self._doctors is None:
            found: dict[int, set[int]] = {}
            for service_id, doctor_id in self.session.execute(_DOCTORS_ON, {"day": self.day}):
                found.setdefault(service_id, set()).add(doctor_id)
            self._doctors = {key: sorted(value) for key, value in found.items()}
        return self._doctors.get(service.id, [])

    def read_ahead(self, services: list[Service]) -> None:
        """Read the heads of these services' orders in one statement, not one each."""
        wanted = [s for s in services if (s.id, None) not in self._rows]
        if wanted and self.limit is not None:
            for service_id, rows in heads_of(self.session, wanted, self.day, self.limit).items():
                self._rows[(service_id, None)] = rows

    def rows(self, service: Service, doctor_id: int | None = None) -> list:
        """The call order of ``service`` (as the room of ``doctor_id`` calls it, when given)."""
        key = (service.id, doctor_id)
        if key not in self._rows:
            self._rows[key] = ordered_rows(self.session, service, self.day, doctor_id, self.limit)
        return self._rows[key]

    def merged(self, services: tuple[Service, ...], doctor_id: int | None = None) -> list:
        """The order a counter serving ``services`` calls them in (``merge_by_head``), its first
        ``limit``: the same for every service of the counter, so made once."""
        key = (tuple(s.id for s in services), doctor_id)
        found = self._merges.get(key)
        if found is None:
            orders = [self.rows(s, doctor_id) for s in services]
            found = self._merges[key] = merge_by_head(orders)[: self.limit]
        return found


def calling_counters(service: Service) -> list[Counter]:
    """The counters whose "call next" takes this service: the open ones, else all of them."""
    return calling_among(list(service.counters))


def calling_among(counters: list) -> list:
    """Of a service's counters (Counter objects or ``loading.Desk`` values), those whose "call
    next" takes it."""
    return [c for c in counters if c.status == Counter.OPEN] or counters


def counter_service_sets(counters: list[Counter], service: Service) -> set[tuple[Service, ...]]:
    return {
        tuple(s for s in counter.services if s.active or s.id == service.id) for counter in counters
    }


def _soonest(orders: CallOrders, counters: list[Counter], service: Service, doctor_id=None):
    """Each ticket's fewest tickets ahead over ``counters`` (one replay per set of services).

    From orders cut at ``orders.limit``, the first ``limit`` of each merge are still exact (no
    service gives more than ``limit`` of them); the rest are left out.
    """
    ahead: dict[int, int] = {}
    service_sets = counter_service_sets(counters, service)
    for services in service_sets:
        for index, row in enumerate(orders.merged(services, doctor_id)):
            if index < ahead.get(row.id, index + 1):
                ahead[row.id] = index
    if not service_sets:  # no counter serves it: its own order is all there is
        ahead = {row.id: index for index, row in enumerate(orders.rows(service, doctor_id))}
    return ahead


def session_doctors(session: Session, service: Service, day: date) -> dict[int, int]:
    """{waiting ticket id: its doctor} for the tickets of ``service`` in a doctor's session."""
    stmt = (
        select(Ticket.id, DoctorSession.doctor_id)
        .join(DoctorSession, Ticket.doctor_session_id == DoctorSession.id)
        .where(
            Ticket.service_id == service.id,
            Ticket.business_date == day,
            Ticket.status == WAITING,
        )
    )
    return {ticket_id: doctor_id for ticket_id, doctor_id in session.execute(stmt)}


def doctor_rooms(service: Service, doctor_id: int) -> list[Counter]:
    """The doctor's consulting rooms for this poli: the open ones, else all of them."""
    rooms = [c for c in service.counters if c.doctor_id == doctor_id]
    return [c for c in rooms if c.status == Counter.OPEN] or rooms


def queue_positions(
    session: Session, service: Service, day: date, orders: CallOrders | None = None
) -> QueuePositions:
    """People ahead and estimated wait of every waiting ticket of ``service`` (see above)."""
    orders = orders or CallOrders(session, day)
    own = orders.rows(service)
    counters = calling_counters(service)
    ahead = _soonest(orders, counters, service)
    per_ticket = orders.minutes_per_ticket(service)
    open_counters = sum(1 for c in counters if c.status == Counter.OPEN)
    order = [row.id for row in own]
    people = [ahead[ticket_id] for ticket_id in order]
    etas = [estimate_minutes(n, per_ticket, open_counters) for n in people]
    # A ticket in a doctor's session is called only by that doctor's room(s): it counts the
    # tickets those rooms would call before it, shared among the doctor's open rooms.
    by_doctor = session_doctors(session, service, day)
    for doctor_id in set(by_doctor.values()):
        rooms = doctor_rooms(service, doctor_id)
        in_session = _soonest(orders, rooms, service, doctor_id)
        rooms_open = sum(1 for c in rooms if c.status == Counter.OPEN)
        for index, ticket_id in enumerate(order):
            if by_doctor.get(ticket_id) == doctor_id and ticket_id in in_session:
                people[index] = in_session[ticket_id]
                etas[index] = estimate_minutes(people[index], per_ticket, rooms_open)
    return QueuePositions(
        service_id=service.id,
        order=order,
        people_ahead=people,
        eta_minutes=etas,
        minutes_per_ticket=per_ticket,
        open_counters=open_counters,
    )


@dataclass
class QueueHead:
    """The tickets of one service fewer than ``window`` calls away, with their exact places."""

    service_id: int
    window: int
    places: dict[int, Position]  # ticket id: place, nearest first
    minutes_per_ticket: float
    open_counters: int
    waiting: int | None = None  # the service's waiting tickets, when the head holds them all

    def of(self, ticket_id: int) -> Position | None:
        return self.places.get(ticket_id)


def _doctors_of(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    stmt = (
        select(Ticket.id, DoctorSession.doctor_id)
        .join(DoctorSession, Ticket.doctor_session_id == DoctorSession.id)
        .where(Ticket.id.in_(ticket_ids))
    )
    return {ticket_id: doctor_id for ticket_id, doctor_id in session.execute(stmt)}


def queue_head(session: Session, service: Service, orders: CallOrders) -> QueueHead:
    """Exactly what :func:`queue_positions` gives, for the tickets fewer than
    ``orders.limit`` calls away, reading only the head of each order involved."""
    window = orders.limit
    counters = calling_counters(service)
    general = _soonest(orders, counters, service)
    per_ticket = orders.minutes_per_ticket(service)
    open_counters = sum(1 for c in counters if c.status == Counter.OPEN)
    candidates = [row.id for row in orders.rows(service)]
    # Fewer than a window of calls: the head read every waiting ticket of the service.
    waiting = len(candidates) if window is None or len(candidates) < window else None
    rooms: dict[int, tuple[dict[int, int], int]] = {}  # doctor: (places, open rooms)
    for doctor_id in orders.doctors_today(service):
        mine = doctor_rooms(service, doctor_id)
        in_session = _soonest(orders, mine, service, doctor_id)
        rooms[doctor_id] = (in_session, sum(1 for c in mine if c.status == Counter.OPEN))
        candidates += [row.id for row in orders.rows(service, doctor_id)]
    doctor_of = _doctors_of(session, candidates) if rooms else {}
    places: dict[int, Position] = {}
    for ticket_id in dict.fromkeys(candidates):
        doctor_id = doctor_of.get(ticket_id)
        ahead_of, counting = rooms.get(doctor_id, (general, open_counters))
        if ticket_id in doctor_of and doctor_id not in rooms:
            continue  # a session of another day or poli: not placed here
        ahead = ahead_of.get(ticket_id)
        if ahead is not None:
            places[ticket_id] = Position(ahead, estimate_minutes(ahead, per_ticket, counting))
    nearest = sorted(places.items(), key=lambda item: (item[1].people_ahead, item[0]))
    return QueueHead(service.id, window, dict(nearest), per_ticket, open_counters, waiting)


def _counted(session: Session, ticket: Ticket) -> Position | None:
    """A ticket's place from counts along the index (counting.py); None where the counts do
    not give it: a doctor's rooms that serve other services too, or a merge with a service whose
    waiting tickets hold both priority classes."""
    doctor_id = ticket.doctor_session.doctor_id if ticket.doctor_session_id else None
    service = ticket.service
    counters = doctor_rooms(service, doctor_id) if doctor_id else calling_counters(service)
    service_sets = counter_service_sets(counters, service)
    if doctor_id is None:
        ahead = ahead_in_merge(session, ticket, list(service_sets))
    elif all(services == (service,) for services in service_sets):
        ahead = index_in_order(session, ticket, doctor_id)[0]
    else:
        ahead = None
    if ahead is None:
        return None
    per_ticket = minutes_per_ticket(session, service, ticket.business_date)
    open_counters = sum(1 for c in counters if c.status == Counter.OPEN)
    return Position(ahead, estimate_minutes(ahead, per_ticket, open_counters))


def ticket_position(session: Session, ticket: Ticket, now: datetime | None = None) -> Position:
    """Where a waiting ticket stands; a ticket no longer waiting has nobody ahead.

    Counted along the index where counts give it (counting.py); else from the queue's head when
    it is there, and only else from the whole queue.
    """
    if ticket.status != WAITING:
        return Position(0, 0)
    found = _counted(session, ticket)
    if found is None:
        orders = CallOrders(session, ticket.business_date, HEAD_WINDOW)
        found = queue_head(session, ticket.service, orders).of(ticket.id)
    if found is None:
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


def _callers(service: Service) -> set[int]:
    return {s.id for counter in service.counters for s in counter.services} | {service.id}


def calls_today(session: Session, services: list[Service], day: date) -> dict[int, int]:
    """{service id: tickets called today by its counters, from any of their services}, in one
    statement for all of them. It only ever grows, so a phone behind the head moves its own
    place by the calls since its last figure."""
    callers = {service.id: _callers(service) for service in services}
    wanted = sorted(set().union(*callers.values()))
    params = {**list_params("service", wanted), "day": day}
    rows = plain_rows(session, _calls_on(len(wanted)), params) if wanted else []
    calls = {service_id: n for service_id, n in rows}
    return {key: sum(calls.get(i, 0) for i in ids) for key, ids in callers.items()}
