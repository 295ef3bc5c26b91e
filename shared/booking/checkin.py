"""Check-in on the day: inside the window a booking becomes a ticket with source "booking"."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from shared import timeutil
from shared.audit import record_audit
from shared.booking import errors
from shared.booking.bookings import find_booking
from shared.booking.slots import slot_start
from shared.models import Booking, Kiosk, StaffUser, Ticket
from shared.queue.issuing import issue_ticket
from shared.queue.sites import site_of_service

# A kiosk that repeats a check-in this soon (a double tap, a retry after a lost answer) gets the
# same ticket back instead of "already used"; later, or from another kiosk, it is refused.
REPLAY_SECONDS = 120


def check_in_booking(
    session: Session,
    code: str,
    *,
    kiosk: Kiosk | None = None,
    actor: StaffUser | None = None,
    now: datetime | None = None,
) -> Ticket:
    """The booking becomes a ticket, ahead of walk-ins or at its slot time (the service decides).

    The booking's row is locked first, so two check-ins racing on PostgreSQL give one ticket
    (SQLite's BEGIN IMMEDIATE already serialises them). A clerk's check-in (``actor``) is audited.
    """
    now = now or timeutil.now_utc()
    booking = find_booking(session, code, lock=True)
    if booking.status == Booking.CANCELLED:
        raise errors.BookingCancelled()
    if booking.status == Booking.CHECKED_IN:
        raise errors.BookingUsed(number=booking.ticket.display_number)
    site = site_of_service(session, booking.service)
    if booking.day != timeutil.business_date(now, site.timezone):
        raise errors.BookingWrongDay(day=booking.day.isoformat())
    start = slot_start(site, booking.day, booking.start)
    opens = start - timedelta(minutes=site.checkin_early_minutes)
    closes = start + timedelta(minutes=site.checkin_late_minutes)
    if booking.doctor_session_id is not None:  # a doctor's session: welcome until it ends
        closes = max(closes, slot_start(site, booking.day, booking.end))
    if now < opens:
        raise errors.BookingTooEarly(opens=timeutil.format_hhmm(opens.timetz()))
    if now > closes:
        raise errors.BookingTooLate(closed=timeutil.format_hhmm(closes.timetz()))
    front = booking.service.booking_placement == "front"
    ticket = issue_ticket(
        session,
        booking.service_id,
        source="booking",
        kiosk=kiosk,
        now=now,
        check_availability=False,
        boost=0 if front else 1,
        queued_at=now if front else start,
        payer=booking.payer,
        # the booking already holds its place: the visit takes its number, not a second place
        doctor_session_id=booking.doctor_session_id,
        place_held=booking.doctor_session_id is not None,
    )
    booking.status = Booking.CHECKED_IN
    booking.checked_in_at = now
    booking.ticket_id = ticket.id
    session.flush()
    if actor is not None:
        details = {"code": booking.code, "ticket": ticket.display_number}
        record_audit(session, actor, "booking.check_in", "booking", booking.id, details, at=now)
    return ticket


def check_in_at_kiosk(
    session: Session, code: str, kiosk: Kiosk, *, now: datetime | None = None
) -> tuple[Ticket, bool]:
    """(ticket, created): a repeat from the same kiosk within REPLAY_SECONDS gives the first
    ticket back (created False, so the caller does not print it again)."""
    now = now or timeutil.now_utc()
    booking = find_booking(session, code, lock=True)
    agency = booking.service.agency
    if kiosk.agency_ids and agency.id not in kiosk.agency_ids:
        # The kiosk offers only some agencies: it cannot hand out another one's tickets either.
        raise errors.BookingOtherAgency(agency=agency.name)
    ticket = booking.ticket
    if (
        booking.status == Booking.CHECKED_IN
        and ticket is not None
        and ticket.kiosk_id == kiosk.id
        and booking.checked_in_at is not None
        and timedelta(0) <= now - booking.checked_in_at <= timedelta(seconds=REPLAY_SECONDS)
    ):
        return ticket, False
    return check_in_booking(session, code, kiosk=kiosk, now=now), True
