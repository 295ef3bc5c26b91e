"""A ticket's place in its queue: people ahead and the estimated wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Ticket
from shared.queue.availability import estimate_minutes, minutes_per_ticket, open_counter_count
from shared.queue.ordering import ordered_ids
from shared.queue.states import WAITING


@dataclass
class Position:
    people_ahead: int
    eta_minutes: int


def ticket_position(session: Session, ticket: Ticket, now: datetime | None = None) -> Position:
    """Where a waiting ticket stands; a ticket no longer waiting has nobody ahead."""
    if ticket.status != WAITING:
        return Position(0, 0)
    order = ordered_ids(session, ticket.service, ticket.business_date)
    ahead = order.index(ticket.id) if ticket.id in order else len(order)
    per_ticket = minutes_per_ticket(session, ticket.service, ticket.business_date)
    eta = estimate_minutes(ahead, per_ticket, open_counter_count(session, ticket.service_id))
    return Position(ahead, eta)


def latest_in_visit(ticket: Ticket) -> Ticket:
    """After a transfer the public link follows the citizen to the visit's newest ticket."""
    return max(ticket.visit.tickets, key=lambda t: t.id)


def is_expired(ticket: Ticket, tz: str, now: datetime | None = None) -> bool:
    return ticket.business_date < timeutil.business_date(now or timeutil.now_utc(), tz)
