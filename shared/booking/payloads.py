"""What a booking and a slot look like in JSON (no personal data beyond what the citizen typed)."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from shared.booking.slots import Slot
from shared.models import Booking, DoctorSession


def slot_json(slot: Slot) -> dict:
    return {
        "start": slot.start,
        "end": slot.end,
        "capacity": slot.capacity,
        "left": slot.left,
        "bookable": slot.bookable,
    }


def booking_json(booking: Booking, public_url: str) -> dict:
    service = booking.service
    site = service.agency.site
    return {
        "code": booking.code,
        "site": {"slug": site.slug, "name": site.name, "timezone": site.timezone},
        "status": booking.status,
        "service": {"id": service.id, "code": service.code, "name": service.name},
        "agency": {"id": service.agency.id, "name": service.agency.name},
        "date": booking.day.isoformat(),
        "start": booking.start,
        "end": booking.end,
        "doctor": doctor_json(booking),
        "payer": booking.payer,
        "ticket": booking.ticket.display_number if booking.ticket else None,
        "ticket_url": f"{public_url.rstrip('/')}/t/{booking.ticket.code}"
        if booking.ticket
        else None,
    }


def doctor_json(booking: Booking) -> dict | None:
    """The doctor's session a poli booking holds a place in (name and hours only)."""
    if booking.doctor_session_id is None:
        return None
    held = object_session(booking).get(DoctorSession, booking.doctor_session_id)
    return {"id": held.id, "name": held.doctor.name, "session": held.label}
