"""``ambilantrean`` and ``statusantrean``: a place in a doctor's session, taken from the quota that
every channel shares (the kiosk's check-in and the booking page book the same sessions).

The place is taken at once with one conditional UPDATE (shared/queue/doctors.py), so the last
JKN place goes to one caller however many race. The number BPJS wants at booking time
(``angkaantrean``) is the place's rank in the session when it was taken; the ticket's own number
is given at check-in in arrival order, like every booking's (docs/bpjs.md, "Inbound").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.booking import errors as booking_errors
from shared.booking.sessions import SessionEnded, book_doctor_session
from shared.booking.slots import slot_start
from shared.mobilejkn.errors import NewPatient, Refused
from shared.mobilejkn.patients import check_card, check_nik, check_norm, find_patient
from shared.mobilejkn.polis import find_poli, find_session, quotas_json
from shared.models import Booking, DoctorSession, JknBooking, Site, Ticket
from shared.queue import doctors, states
from shared.queue.doctors import JKN, UMUM, SessionFull
from shared.queue.errors import DomainError
from shared.queue.numbering import display_number

PHONE = re.compile(r"^\+?[0-9]{8,15}$")
ARRIVE_EARLY = "Peserta harap datang 30 menit lebih awal dan check-in di kiosk dengan kode booking"


def parse_day(value, site: Site, now: datetime, *, past_ok: bool = False) -> date:
    try:
        day = datetime.strptime(str(value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        raise Refused("Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd") from None
    if not past_ok and day < timeutil.business_date(now, site.timezone):
        raise Refused("Tanggal Periksa Tidak Berlaku")
    return day


def estimated_number(doctor_session: DoctorSession) -> int:
    """The rank of the place just taken: every place held, or one after the last number given."""
    held = doctor_session.taken_jkn + doctor_session.taken_nonjkn
    return max(held, doctor_session.last_number + 1)


def estimated_ms(site: Site, doctor_session: DoctorSession, number: int) -> int:
    start = slot_start(site, doctor_session.day, doctor_session.start)
    minutes = doctor_session.service.avg_service_minutes * (number - 1)
    return int((start + timedelta(minutes=minutes)).timestamp() * 1000)


def _visit_kind(value) -> int:
    try:
        kind = int(value)
    except (TypeError, ValueError):
        kind = 0
    if kind not in (1, 2, 3, 4):
        raise Refused("Jenis Kunjungan Tidak Sesuai (1 sampai 4)")
    return kind


def _already_booked(session: Session, site: Site, card: str, day: date) -> bool:
    stmt = (
        select(func.count())
        .select_from(JknBooking)
        .join(Booking, Booking.id == JknBooking.booking_id)
        .where(
            JknBooking.site_id == site.id,
            JknBooking.card_number == card,
            JknBooking.day == day,
            Booking.status != Booking.CANCELLED,
        )
    )
    return session.execute(stmt).scalar_one() > 0


def _book(session: Session, doctor_session: DoctorSession, payer: str, now) -> Booking:
    try:
        return book_doctor_session(session, doctor_session.id, payer, now=now)
    except SessionFull:
        raise Refused(
            "Kuota JKN sudah habis" if payer == JKN else "Kuota Non JKN sudah habis"
        ) from None
    except SessionEnded:
        raise Refused("Pendaftaran Ke Poli Ini Sudah Tutup") from None
    except booking_errors.OutsideHorizon as error:
        days = error.params.get("days")
        raise Refused(f"Antrean hanya dapat diambil paling lambat {days} hari ke depan") from None
    except booking_errors.HolidayClosed:
        raise Refused("Tanggal Periksa Adalah Hari Libur") from None
    except DomainError:
        raise Refused("Antrean Tidak Dapat Diambil") from None


def choose_session(session: Session, service, fields: dict, day: date) -> DoctorSession:
    """The doctor's session asked for, or (FKTP: no doctor named) the first with a JKN place."""
    if str(fields.get("kodedokter") or "").strip():
        return find_session(session, service, fields["kodedokter"], day, fields.get("jampraktek"))
    sessions = doctors.sessions_for_day(session, service, day)
    if not sessions:
        raise Refused("Jadwal Poli Tersebut Belum Tersedia")
    return doctors.first_with_room(session, service, day, JKN) or sessions[0]


def take_jkn_queue(
    session: Session,
    site: Site,
    fields: dict,
    *,
    now: datetime | None = None,
    fktp: bool = False,
) -> dict:
    """A booking in the doctor's session for ``tanggalperiksa``: BPJS's answer, or Refused /
    NewPatient (no ``norm`` and a card number this hospital does not know). ``fktp``: the
    puskesmas variant, where the card number is required and a patient needs no record yet."""
    now = now or timeutil.now_utc()
    card = check_card(fields.get("nomorkartu", ""), required=fktp)
    nik = check_nik(fields.get("nik", ""))
    day = parse_day(fields.get("tanggalperiksa"), site, now)
    kind = 1 if fktp else _visit_kind(fields.get("jeniskunjungan"))
    service = find_poli(session, site, fields.get("kodepoli", ""))
    chosen = choose_session(session, service, fields, day)
    norm = check_norm(fields.get("norm"))
    new_patient = False
    if not norm:
        patient = find_patient(session, site, card)
        if patient is None and not fktp:
            raise NewPatient()
        norm, new_patient = (patient.medical_record, True) if patient else ("", True)
    if card and _already_booked(session, site, card, day):
        raise Refused("Nomor Antrean Hanya Dapat Diambil 1 Kali Pada Tanggal Yang Sama")
    phone = re.sub(r"[\s-]", "", str(fields.get("nohp") or ""))
    payer = JKN if card else UMUM
    booking = _book(session, chosen, payer, now)
    number = estimated_number(chosen)
    session.add(
        JknBooking(
            booking_id=booking.id,
            site_id=site.id,
            day=day,
            card_number=card,
            nik=nik,
            medical_record=norm or None,
            phone=phone if PHONE.match(phone) else None,
            new_patient=new_patient,
            visit_kind=kind,
            reference=str(fields.get("nomorreferensi") or "")[:40],
            number=number,
            erase_after=day + timedelta(days=site.booking_retention_days),
        )
    )
    session.flush()
    return {
        "nomorantrean": display_number(service.prefix, number),
        "angkaantrean": number,
        "kodebooking": booking.code,
        "norm": norm,
        "namapoli": service.name,
        "namadokter": chosen.doctor.name,
        "estimasidilayani": estimated_ms(site, chosen, number),
        **quotas_json(chosen),
        "keterangan": ARRIVE_EARLY,
    }


def last_called(session: Session, doctor_session: DoctorSession) -> str:
    """The display number the doctor's room called last, or "-"."""
    number = session.execute(
        select(Ticket.display_number)
        .where(Ticket.doctor_session_id == doctor_session.id, Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return number or "-"


def not_yet_called(session: Session, doctor_session: DoctorSession) -> int:
    """Places held in the session whose patient has not been called: waiting tickets and
    bookings not checked in yet."""
    called = session.execute(  # visits, not tickets: a patient sent back has two
        select(func.count(func.distinct(Ticket.visit_id))).where(
            Ticket.doctor_session_id == doctor_session.id, Ticket.status != states.WAITING
        )
    ).scalar_one()
    held = doctor_session.taken_jkn + doctor_session.taken_nonjkn
    return max(0, held - called)


def queue_status(
    session: Session, site: Site, fields: dict, *, now: datetime | None = None
) -> dict:
    """``statusantrean``: the doctor's session that day, its quotas and where its queue stands."""
    now = now or timeutil.now_utc()
    day = parse_day(fields.get("tanggalperiksa"), site, now)
    service = find_poli(session, site, fields.get("kodepoli", ""))
    chosen = find_session(session, service, fields.get("kodedokter"), day, fields.get("jampraktek"))
    return {
        "namapoli": service.name,
        "namadokter": chosen.doctor.name,
        "totalantrean": chosen.taken_jkn + chosen.taken_nonjkn,
        "sisaantrean": not_yet_called(session, chosen),
        "antreanpanggil": last_called(session, chosen),
        **quotas_json(chosen),
        "keterangan": "",
    }
