"""What the console shows, as JSON: a counter, its current ticket, its queue and its day.

A snapshot carries the last event number of the counter's room (``seq``), so the console can
apply later events on top and refetch only when it sees a gap.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.models import Counter, StaffUser, Ticket
from shared.queue import active_ticket, payloads, publishing, service_order, states
from shared.queue.loading import load_counter_services, site_services
from shared.queue.next_steps import visit_rows
from shared.queue.ordering import merge_by_head
from shared.queue.sites import agency_of_service, get_site

SERVED_SHOWN = 50


def minutes_between(start, end) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds() // 60))


def ticket_view(session: Session, ticket: Ticket, now, others: list | None = None) -> dict:
    """The staff payload plus how long the citizen waited and the visit's earlier steps.

    ``others``: the visit's other tickets (``next_steps.visit_rows``), when already read."""
    return {
        **payloads.ticket_staff(ticket),
        "waited_minutes": minutes_between(ticket.queued_at, ticket.called_at or now),
        "recall_limit": ticket.service.recall_limit,
        # The pathway step (its position): finishing it opens the console's choice of next step.
        "step": ticket.step,
        "history": _earlier_in_visit(session, ticket, others),
    }


def _earlier_in_visit(session: Session, ticket: Ticket, others: list | None) -> list[dict]:
    """The visit's tickets before this one, from ``others`` or one plain read, with their
    services and agencies from what the process keeps."""
    others = visit_rows(session, ticket) if others is None else others
    rows = [row[:5] for row in others if row.id < ticket.id]
    if not rows:
        return []
    services = site_services(session, ticket.service.site_id, {row[2] for row in rows})
    return [
        {
            "id": ticket_id,
            "number": number,
            "service": services[service_id].name,
            "agency": agency_of_service(session, services[service_id]).short_name,
            "status": status,
            "note": note,
        }
        for ticket_id, number, service_id, status, note in rows
    ]


def counter_view(session: Session, counter: Counter) -> dict:
    load_counter_services(session, counter)  # from what the process keeps: no statement
    clerk = session.get(StaffUser, counter.clerk_id) if counter.clerk_id else None
    return {
        **payloads.counter_state(counter),
        "agency_name": counter.agency.short_name,
        "clerk": clerk.name if clerk else None,
    }


def waiting_for(session: Session, counter: Counter, day) -> list[dict]:
    """The counter's queue in the order its "call next" takes it, across its services."""
    orders = [service_order(session, s, day) for s in counter.services if s.active]
    return [
        {**payloads.ticket_staff(ticket), "position": position}
        for position, ticket in enumerate(merge_by_head(orders), start=1)
    ]


def served_today(session: Session, counter: Counter, day) -> list[dict]:
    stmt = (
        select(Ticket)
        .where(
            Ticket.counter_id == counter.id,
            Ticket.business_date == day,
            Ticket.status.in_(states.FINAL),
        )
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
        .limit(SERVED_SHOWN)
    )
    return [payloads.ticket_staff(t) for t in session.execute(stmt).scalars()]


def failed_prints(session: Session, agency_id: int, day) -> list[dict]:
    from shared.models import Service

    stmt = (
        select(Ticket)
        .join(Service, Service.id == Ticket.service_id)
        .where(
            Service.agency_id == agency_id,
            Ticket.business_date == day,
            Ticket.print_state == "failed",
            Ticket.status == states.WAITING,
        )
        .order_by(Ticket.id)
    )
    return [payloads.ticket_staff(t) for t in session.execute(stmt).scalars()]


def room_seq(session: Session, agency_id: int) -> int:
    room = publishing.agency_room(agency_id)
    return events.room_seqs(session, publishing.COUNTER, [room])[room]


def console_snapshot(session: Session, counter: Counter) -> dict:
    seq = room_seq(session, counter.agency_id)  # before the data: an event is never missed
    now = timeutil.now_utc()
    day = timeutil.business_date(now, get_site(session, counter.site_id).timezone)
    current = active_ticket(session, counter)
    return {
        "room": publishing.agency_room(counter.agency_id),
        "seq": seq,
        "counter": counter_view(session, counter),
        "current": ticket_view(session, current, now) if current else None,
        "waiting": waiting_for(session, counter, day),
        "served": served_today(session, counter, day),
        "failed_prints": failed_prints(session, counter.agency_id, day),
        "now": now.isoformat(),
    }
