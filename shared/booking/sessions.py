"""Booking a place in a doctor's session (a poli with doctors) instead of a time slot.

The booking takes its place in the payer's quota at once (one conditional UPDATE, so the last
place goes to one citizen), gives it back when cancelled, and gets its number in the session
when it checks in (``shared/booking/checkin.py``), so that numbers follow arrival.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.booking import errors
from shared.booking.bookings import clean_contact, new_booking_code
from shared.booking.slots import check_day, slot_start
from shared.models import Booking, Doctor, DoctorSession
from shared.models.health import PAYERS
from shared.queue import doctors
from shared.queue.errors import DomainError, NotFound
from shared.queue.sites import site_of_service


class SessionEnded(errors.SlotUnavailable):
    code = "session_ended"
    message = errors.N_("This doctor's session has ended: please choose another day.")


def has_doctors(session: Session, service_id: int) -> bool:
    return session.execute(
        select(exists().where(Doctor.service_id == service_id, Doctor.active.is_(True)))
    ).scalar_one()


def book_doctor_session(
    session: Session,
    doctor_session_id: int,
    payer: str,
    *,
    name: str | None = None,
    phone: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """One place of ``payer``'s quota in the session, or SessionFull (409)."""
    now = now or timeutil.now_utc()
    if payer not in PAYERS:
        raise DomainError(errors.N_("Unknown payer."))
    chosen = session.get(DoctorSession, doctor_session_id)
    if chosen is None or not chosen.service.active or not chosen.doctor.active:
        raise NotFound(errors.N_("Unknown doctor's session."))
    site = site_of_service(session, chosen.service)
    name, phone = clean_contact(name, phone)
    check_day(session, site, chosen.day, now)
    if slot_start(site, chosen.day, chosen.end) <= now:
        raise SessionEnded()  # a session may be booked until it ends, not after
    doctors.take_place(session, chosen, payer, numbered=False)
    booking = Booking(
        code=new_booking_code(),
        service_id=chosen.service_id,
        day=chosen.day,
        start=chosen.start,
        end=chosen.end,
        name=name,
        phone=phone,
        created_at=now,
        doctor_session_id=chosen.id,
        payer=payer,
    )
    session.add(booking)
    session.flush()
    return booking
