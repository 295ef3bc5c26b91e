"""``sisaantrean``, ``batalantrean``, ``checkin`` and the pharmacy queue of a booking.

A booking is found by its code among the site's bookings in a doctor's session (Mobile JKN's own
and the booking page's alike). Check-in is the kiosk's: the booking becomes a ticket straight in
the poli queue, numbered in arrival order; the identity Mobile JKN gave is kept for the visit in
``patient_identity`` (what the outbound bridge reports).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.booking import errors as booking_errors
from shared.booking.bookings import cancel_booking, normalise_code
from shared.booking.checkin import check_in_booking
from shared.health.identity import identity_of, record_patient_identity
from shared.mobilejkn.booking import last_called, not_yet_called
from shared.mobilejkn.errors import Refused
from shared.models import Booking, DoctorSession, JknBooking, Service, Site, Ticket
from shared.queue import ordering, states
from shared.queue.errors import DomainError
from shared.queue.numbering import display_number

PRESCRIPTIONS = {"racikan": "racikan", "non_racikan": "non racikan"}


def find_site_booking(session: Session, site: Site, code) -> Booking:
    """The site's doctor-session booking with this code, or Refused."""
    code = normalise_code(code if isinstance(code, str) else "")
    booking = session.execute(
        select(Booking)
        .join(Service, Service.id == Booking.service_id)
        .where(Booking.code == code, Service.site_id == site.id)
        .where(Booking.doctor_session_id.is_not(None))
    ).scalar_one_or_none()
    if not code or booking is None:
        raise Refused("Antrean Tidak Ditemukan")
    return booking


def _announced_number(session: Session, booking: Booking) -> str:
    if booking.ticket is not None:
        return booking.ticket.display_number
    jkn = session.get(JknBooking, booking.id)
    number = jkn.number if jkn is not None else 1
    return display_number(booking.service.prefix, number)


def _position(session: Session, ticket: Ticket) -> int:
    """How many are still to be called in the ticket's queue, the patient included (0: called)."""
    if ticket.status != states.WAITING:
        return 0
    doctor_id = ticket.doctor_session.doctor_id if ticket.doctor_session else None
    rows = ordering.ordered_rows(session, ticket.service, ticket.business_date, doctor_id)
    ids = [row.id for row in rows]
    return ids.index(ticket.id) + 1 if ticket.id in ids else 1


def remaining_queue(session: Session, site: Site, code) -> dict:
    """``sisaantrean``: waktutunggu = service minutes × 60 × (remaining − 1) seconds."""
    booking = find_site_booking(session, site, code)
    if booking.status == Booking.CANCELLED:
        raise Refused("Antrean Sudah Dibatalkan")
    held = session.get(DoctorSession, booking.doctor_session_id)
    if booking.ticket is not None:
        remaining = _position(session, booking.ticket)
    else:  # not checked in yet: everyone not called so far, then this patient
        remaining = not_yet_called(session, held)
    minutes = booking.service.avg_service_minutes
    return {
        "nomorantrean": _announced_number(session, booking),
        "namapoli": booking.service.name,
        "namadokter": held.doctor.name,
        "sisaantrean": remaining,
        "antreanpanggil": last_called(session, held),
        "waktutunggu": minutes * 60 * max(0, remaining - 1),
        "keterangan": "",
    }


def cancel_jkn_booking(session: Session, site: Site, code, *, now: datetime | None = None) -> None:
    """``batalantrean``: the place goes back to the session's quota. The reason given is not
    kept (free text may carry personal data)."""
    booking = find_site_booking(session, site, code)
    if booking.status == Booking.CANCELLED:
        raise Refused("Antrean Sudah Dibatalkan Sebelumnya")
    if booking.status == Booking.CHECKED_IN:
        raise Refused("Pasien Sudah Check-in, Antrean Tidak Dapat Dibatalkan")
    cancel_booking(session, booking.code, now=now)


def check_in_jkn_booking(
    session: Session, site: Site, code, *, now: datetime | None = None
) -> Ticket:
    """``checkin``: the booking becomes a ticket in the poli queue (the kiosk's check-in)."""
    now = now or timeutil.now_utc()
    booking = find_site_booking(session, site, code)
    try:
        ticket = check_in_booking(session, booking.code, now=now)
    except booking_errors.BookingCancelled:
        raise Refused("Antrean Sudah Dibatalkan") from None
    except booking_errors.BookingUsed:
        raise Refused("Antrean Sudah Check-in") from None
    except booking_errors.BookingWrongDay:
        raise Refused("Check-in Hanya Dapat Dilakukan Pada Tanggal Periksa") from None
    except booking_errors.BookingTooEarly as error:
        raise Refused(f"Check-in Dibuka Mulai Pukul {error.params.get('opens')}") from None
    except booking_errors.BookingTooLate as error:
        raise Refused(f"Check-in Sudah Ditutup Pukul {error.params.get('closed')}") from None
    except DomainError:
        raise Refused("Check-in Tidak Dapat Dilakukan") from None
    jkn = session.get(JknBooking, booking.id)
    if jkn is not None and identity_of(session, ticket.visit) is None:
        # What the bridge reports; a visit off any pathway keeps none (the check-in stands).
        with suppress(DomainError):
            record_patient_identity(
                session,
                ticket.visit,
                card_number=jkn.card_number,
                nik=jkn.nik,
                medical_record=jkn.medical_record,
                now=now,
            )
    return ticket


def _pharmacy_ticket(booking: Booking) -> Ticket:
    """The visit's ticket at a pharmacy step (queued when the poli step finished), or Refused."""
    if booking.ticket is None:
        raise Refused("Pasien Belum Check-in")
    visit = booking.ticket.visit
    stages = {step.position: step.stage for step in visit.pathway.steps} if visit.pathway else {}
    found = [t for t in visit.tickets if t.step is not None and stages.get(t.step) == "pharmacy"]
    if not found:
        raise Refused("Belum Ada Antrean Farmasi Untuk Kode Booking Ini")
    return found[-1]


def pharmacy_queue(session: Session, site: Site, code) -> dict:
    """``ambilantreanfarmasi``: the pharmacy number the visit already has (Antre queues it
    itself when the poli finishes with a prescription)."""
    ticket = _pharmacy_ticket(find_site_booking(session, site, code))
    return {
        "jenisresep": PRESCRIPTIONS.get(ticket.visit.prescription or "", "Tidak ada"),
        "nomorantrean": ticket.number,
        "keterangan": f"Nomor antrean farmasi {ticket.display_number}",
    }


def pharmacy_status(session: Session, site: Site, code) -> dict:
    """``statusantreanfarmasi``: the pharmacy queue of the visit's ticket, that day."""
    ticket = _pharmacy_ticket(find_site_booking(session, site, code))
    total = session.execute(
        select(func.count())
        .select_from(Ticket)
        .where(Ticket.service_id == ticket.service_id, Ticket.business_date == ticket.business_date)
    ).scalar_one()
    called = session.execute(
        select(Ticket.display_number)
        .where(Ticket.service_id == ticket.service_id, Ticket.business_date == ticket.business_date)
        .where(Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return {
        "jenisresep": PRESCRIPTIONS.get(ticket.visit.prescription or "", "Tidak ada"),
        "totalantrean": total,
        "sisaantrean": _position(session, ticket),
        "antreanpanggil": called or "-",
        "keterangan": "",
    }
