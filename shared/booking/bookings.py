"""Booking a slot, cancelling it, reading it, and purging personal data after retention."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import sql, timeutil
from shared.alerts.booking_alerts import cancel_booking_alerts
from shared.booking import errors
from shared.booking.slots import check_day, slot_start
from shared.models import Booking, DoctorSession, Service, Site, SlotTemplate, SlotUsage
from shared.queue import doctors
from shared.queue.errors import NotFound
from shared.queue.sites import site_of_service
from shared.webhooks import record as webhooks
from shared.webhooks import retention

# No 0/O, 1/I/L: the code is read aloud and typed at the kiosk.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def new_booking_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").upper()


def find_booking(session: Session, code: str, *, lock: bool = False) -> Booking:
    """The booking with this code; ``lock`` holds its row until commit (PostgreSQL FOR UPDATE)."""
    stmt = select(Booking).where(Booking.code == normalise_code(code))
    if lock:
        stmt = stmt.with_for_update()
    booking = session.execute(stmt).scalar_one_or_none()
    if booking is None:
        raise errors.BookingNotFound()
    return booking


def clean_contact(name: str | None, phone: str | None) -> tuple[str | None, str | None]:
    """A booker's name and phone, trimmed (the phone without spaces or dashes); else an error."""
    if not isinstance(name, str | None) or not isinstance(phone, str | None):
        raise errors.InvalidContact()  # a list or a number from a JSON body
    name = (name or "").strip() or None
    phone = re.sub(r"[\s-]", "", phone or "") or None
    if (name and len(name) > 80) or (phone and not PHONE.match(phone)):
        raise errors.InvalidContact()
    return name, phone


def book_slot(
    session: Session,
    service_id: int,
    day: date,
    start: str,
    *,
    name: str | None = None,
    phone: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """Take one place in a slot; never more bookings than its capacity, however many race."""
    now = now or timeutil.now_utc()
    service = session.get(Service, service_id)
    if service is None or not service.active:
        raise NotFound(errors.N_("Unknown service."))
    site = site_of_service(session, service)
    name, phone = clean_contact(name, phone)
    check_day(session, site, day, now)
    template = session.execute(
        select(SlotTemplate).where(
            SlotTemplate.service_id == service_id,
            SlotTemplate.weekday == day.weekday(),
            SlotTemplate.start == start,
        )
    ).scalar_one_or_none()
    if template is None:
        raise errors.UnknownSlot()
    if slot_start(site, day, start) <= now:
        raise errors.SlotPassed()
    keys = {"service_id": service_id, "day": day, "start": start}
    if sql.increment(session, SlotUsage.__table__, keys, "booked") > template.capacity:
        raise errors.SlotFull()  # the caller rolls back, which gives the place back
    booking = Booking(
        code=new_booking_code(),
        service_id=service_id,
        day=day,
        start=start,
        end=template.end,
        name=name,
        phone=phone,
        created_at=now,
    )
    session.add(booking)
    session.flush()
    webhooks.booking_event(session, booking, "booking.made")
    return booking


def cancel_booking(session: Session, code: str, *, now: datetime | None = None) -> Booking:
    """Cancel with the code; the place goes back to the slot (or the doctor's session)."""
    booking = find_booking(session, code)
    if booking.status == Booking.CANCELLED:
        return booking  # cancelling twice changes nothing
    if booking.status == Booking.CHECKED_IN:
        raise errors.BookingUsed(number=booking.ticket.display_number if booking.ticket else "-")
    booking.status = Booking.CANCELLED
    booking.cancelled_at = now or timeutil.now_utc()
    cancel_booking_alerts(session, booking, booking.cancelled_at)  # no reminder of a cancelled one
    if booking.doctor_session_id is not None:
        held = session.get(DoctorSession, booking.doctor_session_id)
        doctors.release_place(session, held, booking.payer)
    else:
        keys = {"service_id": booking.service_id, "day": booking.day, "start": booking.start}
        sql.increment(session, SlotUsage.__table__, keys, "booked", by=-1)
    session.flush()
    webhooks.booking_event(session, booking, "booking.cancelled")
    return booking


def purge_booking_data(session: Session, *, now: datetime | None = None) -> int:
    """Erase names and phone numbers of bookings older than their site's retention period
    (and those copied into webhook messages: shared/webhooks/retention.py)."""
    now = now or timeutil.now_utc()
    count = 0
    for site in session.execute(select(Site)).scalars().all():
        cutoff = timeutil.business_date(now, site.timezone) - timedelta(
            days=site.booking_retention_days
        )
        services = select(Service.id).where(Service.site_id == site.id)
        result = session.execute(
            update(Booking)
            .where(
                Booking.service_id.in_(services),
                Booking.day < cutoff,
                Booking.purged_at.is_(None),
            )
            .values(name=None, phone=None, purged_at=now)
            .execution_options(synchronize_session=False)
        )
        count += result.rowcount
        retention.erase_personal(session, site, now)
    session.expire_all()
    return count
