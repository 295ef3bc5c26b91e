"""The bodies of ``antrean/add`` and the other calls, from a visit (no personal data stored).

The stored outbox payload never holds the card number, NIK, phone or medical record number:
``personal_fields`` reads them at delivery from PatientIdentity (and the booking's phone), so an
erased identity is not resurrected by a retry, and the outbox page shows nothing personal.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bpjs.milestones import ms
from shared.models import Booking, PatientIdentity, Ticket, Visit

PRESCRIPTION_NAMES = {"racikan": "Racikan", "non_racikan": "Non racikan", "none": "Tidak ada"}


def kodebooking_for(visit: Visit) -> str:
    """Stable, unique and free of personal data: the visit's day and id."""
    return f"{visit.business_date:%Y%m%d}V{visit.id:06d}"


def _poli_ticket(visit: Visit) -> Ticket | None:
    session_id = visit.doctor_session_id
    return next((t for t in visit.tickets if t.doctor_session_id == session_id), None)


def estimated_service(visit: Visit, timezone: str) -> datetime:
    """The session's start plus the places ahead times the poli's minutes per patient."""
    doctor_session = visit.doctor_session
    hour, minute = (int(part) for part in doctor_session.start.split(":"))
    start = datetime.combine(doctor_session.day, datetime.min.time(), ZoneInfo(timezone))
    start = start.replace(hour=hour, minute=minute)
    ahead = max(0, (visit.session_number or 1) - 1)
    return start + timedelta(minutes=ahead * doctor_session.service.avg_service_minutes)


def add_body(session: Session, visit: Visit) -> dict:
    """``antrean/add`` without nomorkartu, nik, nohp, norm (added at delivery)."""
    from shared.queue.sites import get_site  # (shared.queue publishes through this module)

    doctor_session = visit.doctor_session
    poli = doctor_session.service
    doctor = doctor_session.doctor
    site = get_site(session, poli.site_id)
    ticket = _poli_ticket(visit)
    number = visit.session_number or 0
    return {
        "kodebooking": kodebooking_for(visit),
        "jenispasien": "JKN",
        "kodepoli": poli.bpjs_code,
        "namapoli": poli.name,
        "pasienbaru": 0,
        "tanggalperiksa": visit.business_date.isoformat(),
        "kodedokter": int(doctor.bpjs_code) if doctor.bpjs_code.isdigit() else doctor.bpjs_code,
        "namadokter": doctor.name,
        "jampraktek": f"{doctor_session.start}-{doctor_session.end}",
        "jeniskunjungan": 1,
        "nomorreferensi": "",
        "nomorantrean": ticket.display_number if ticket else f"{poli.prefix}-{number:03d}",
        "angkaantrean": number,
        "estimasidilayani": ms(estimated_service(visit, site.timezone)),
        "sisakuotajkn": doctor_session.quota_jkn_left,
        "kuotajkn": doctor_session.quota_jkn,
        "sisakuotanonjkn": doctor_session.quota_nonjkn_left,
        "kuotanonjkn": doctor_session.quota_nonjkn,
        "keterangan": "Peserta harap 30 menit lebih awal guna pencatatan administrasi.",
    }


def personal_fields(session: Session, visit_id: int, names=None) -> dict:
    """Read at delivery. BPJS accepts empty strings here for a patient not identified yet
    (unverified without credentials: docs/bpjs.md)."""
    identity = session.get(PatientIdentity, visit_id)
    phone = session.execute(
        select(Booking.phone)
        .join(Ticket, Booking.ticket_id == Ticket.id)
        .where(Ticket.visit_id == visit_id, Booking.phone.is_not(None))
    ).scalar()
    fields = {
        "nomorkartu": (identity.card_number if identity else None) or "",
        "nik": (identity.nik if identity else None) or "",
        "nohp": phone or "",
        "norm": (identity.medical_record if identity else None) or "",
    }
    return {name: fields[name] for name in (names or fields)}


def jenisresep(visit: Visit) -> str:
    return PRESCRIPTION_NAMES.get(visit.prescription or "none", "Tidak ada")
