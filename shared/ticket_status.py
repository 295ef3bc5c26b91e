"""What the citizen's phone shows behind the QR code: public data of the visit's newest ticket."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.models import Ticket
from shared.queue import errors, payloads
from shared.queue.availability import minutes_per_ticket, open_counter_count
from shared.queue.pathways import path_json
from shared.queue.position import calls_today, is_expired, latest_in_visit, ticket_position
from shared.queue.publishing import TICKET, head_window, service_room, visit_room
from shared.queue.sites import site_json, site_of_service
from shared.queue.states import ACTIVE

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{6,24}$")


class TicketNotFound(errors.NotFound):
    code = "ticket_not_found"
    message = errors.N_("This ticket does not exist. Check the link on your ticket.")


def find_ticket_by_code(session: Session, code: str) -> Ticket:
    """The ticket whose public link carries ``code`` (not yet following transfers)."""
    if not CODE_PATTERN.match(code or ""):
        raise TicketNotFound()
    ticket = session.execute(select(Ticket).where(Ticket.code == code)).scalar_one_or_none()
    if ticket is None:
        raise TicketNotFound()
    return ticket


def ticket_rooms(ticket: Ticket) -> list[str]:
    """The /ticket rooms a phone following ``ticket`` joins (its visit, its service's queue)."""
    return [visit_room(ticket.visit_id), service_room(ticket.service_id)]


def describe_ticket(session: Session, code: str, now: datetime | None = None) -> dict:
    """Number, service, agency, status, people ahead, ETA, the counter once called, the path.

    The link follows transfers: a citizen sent from Dukcapil to BPJS sees the BPJS ticket.
    """
    now = now or timeutil.now_utc()
    ticket = latest_in_visit(find_ticket_by_code(session, code))
    seqs = events.room_seqs(session, TICKET, ticket_rooms(ticket))  # before the ticket's data
    ticket = latest_in_visit(find_ticket_by_code(session, code))  # afresh (a transfer, a call)
    if set(seqs) != set(ticket_rooms(ticket)):  # transferred in between: number its new room
        seqs = events.room_seqs(session, TICKET, ticket_rooms(ticket))
    site = site_of_service(session, ticket.service)
    expired = is_expired(ticket, site.timezone, now)
    position = ticket_position(session, ticket, now)
    public = payloads.ticket_public(ticket)
    return {
        "id": ticket.id,
        "number": ticket.display_number,
        "site": site_json(site),
        "service": public["service"],
        "agency": public["agency"],
        "status": ticket.status,
        "priority": ticket.priority,
        "priority_label": public["priority_label"],
        "booked": public["booked"],
        "people_ahead": 0 if expired else position.people_ahead,
        "eta_minutes": 0 if expired else position.eta_minutes,
        "minutes_per_ticket": round(
            minutes_per_ticket(session, ticket.service, ticket.business_date), 2
        ),
        "open_counters": open_counter_count(session, ticket.service_id),
        # What the phone needs to follow its place from /ticket's "queue.changed" (events.md).
        "window": head_window(ticket.service),
        "called": calls_today(session, [ticket.service], ticket.business_date)[ticket.service_id],
        "counter": public["counter"] if ticket.status in ACTIVE else None,
        "transferred_from": ticket.transferred_from.display_number
        if ticket.transferred_from
        else None,
        "business_date": ticket.business_date.isoformat(),
        "expired": expired,
        # The visit's whole path (one row per ticket off a pathway): service, status, number.
        "path": path_json(ticket.visit),
        "seqs": seqs,
    }
