"""What a ticket, counter or service looks like to the public and to staff (JSON-ready)."""

from __future__ import annotations

from datetime import datetime

from shared.models import Counter, Service, Ticket


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def counter_public(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name, "zone": counter.zone}


def counter_state(counter: Counter) -> dict:
    return {
        **counter_public(counter),
        "agency_id": counter.agency_id,
        "status": counter.status,
        "pause_reason": counter.pause_reason,
        "service_ids": [s.id for s in counter.services],
    }


def service_brief(service: Service) -> dict:
    return {"id": service.id, "code": service.code, "name": service.name, "prefix": service.prefix}


def agency_brief(service: Service) -> dict:
    agency = service.agency
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "colour": agency.colour,
    }


def priority_label(ticket: Ticket) -> dict | None:
    """The priority group's name in both languages (the admin's words), null when regular."""
    if ticket.priority == "none":
        return None
    group = ticket.priority_group
    if group is None:  # a group deleted since: its code is all there is
        return {"id": ticket.priority, "en": ticket.priority}
    return {"id": group.name_id, "en": group.name_en}


def labels(ticket: Ticket) -> dict:
    """What every screen shows beside the number: the priority group, and "Booking" for a
    visitor who booked online (the word itself comes from each page's translations)."""
    return {"priority_label": priority_label(ticket), "booked": ticket.source == "booking"}


def ticket_public(ticket: Ticket) -> dict:
    """No personal data: safe for TVs and for anyone holding the ticket's link."""
    return {
        "id": ticket.id,
        "number": ticket.display_number,
        "service": service_brief(ticket.service),
        "agency": agency_brief(ticket.service),
        "status": ticket.status,
        "priority": ticket.priority,
        **labels(ticket),
        "counter": counter_public(ticket.counter),
        "recall_count": ticket.recall_count,
        "business_date": ticket.business_date.isoformat(),
        "issued_at": iso(ticket.issued_at),
        "called_at": iso(ticket.called_at),
    }


def ticket_staff(ticket: Ticket, public: dict | None = None) -> dict:
    """``public``: the ticket's :func:`ticket_public`, when the caller has just made it."""
    return {
        **(ticket_public(ticket) if public is None else public),
        "code": ticket.code,
        "visit_id": ticket.visit_id,
        "source": ticket.source,
        "clerk_id": ticket.clerk_id,
        "print_state": ticket.print_state,
        "queued_at": iso(ticket.queued_at),
        "started_at": iso(ticket.started_at),
        "finished_at": iso(ticket.finished_at),
        "transferred_from": ticket.transferred_from.display_number
        if ticket.transferred_from
        else None,
        "note": ticket.note,
    }


def room_service(ticket: Ticket) -> str | None:
    """The poli's name when ``ticket`` is called to a consulting room, else None.

    Decided by data, never by the site's kind: the ticket is in a doctor's session, or is
    called by a doctor's room (``Counter.doctor_id``), or stands at a pathway step of stage
    "poli". The TV then says "silakan ke Poli Anak, Ruang 3" instead of "menuju loket 3".
    """
    counter = ticket.counter
    if ticket.doctor_session_id is not None or (counter is not None and counter.doctor_id):
        return ticket.service.name
    pathway = ticket.visit.pathway if ticket.step is not None else None
    if pathway is not None:
        step = next((s for s in pathway.steps if s.position == ticket.step), None)
        if step is not None and step.stage == "poli":
            return ticket.service.name
    return None


def call_announcement(ticket: Ticket) -> dict:
    """The payload of ``ticket.called``: what a TV shows and speaks."""
    return {
        "ticket_id": ticket.id,
        "number": ticket.display_number,
        "prefix": ticket.service.prefix,
        "sequence": ticket.number,
        "service": service_brief(ticket.service),
        "agency": agency_brief(ticket.service),
        "counter": counter_public(ticket.counter),
        # A consulting room's call names the poli: "silakan ke Poli Anak, Ruang 3".
        "poli": room_service(ticket),
        "recall_count": ticket.recall_count,
        "called_at": iso(ticket.called_at),
        "priority": ticket.priority,
        **labels(ticket),
    }
