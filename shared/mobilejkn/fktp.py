"""The puskesmas variant (Antrean FKTP): the same bookings and quotas, found by card number.

Mobile JKN's FKTP calls name a patient's booking by card number, poli and date instead of a
booking code; a poli's status covers all its doctors' sessions that day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.mobilejkn.booking import last_called, not_yet_called, parse_day, take_jkn_queue
from shared.mobilejkn.errors import Refused
from shared.mobilejkn.patients import check_card
from shared.mobilejkn.polis import find_poli
from shared.mobilejkn.visits import cancel_jkn_booking, remaining_queue
from shared.models import Booking, JknBooking, Site
from shared.queue import doctors


def take_fktp_queue(session: Session, site: Site, fields: dict, *, now: datetime | None = None):
    """``antrean`` (POST): nomorantrean, angkaantrean, namapoli, sisaantrean, antreanpanggil."""
    taken = take_jkn_queue(session, site, fields, now=now, fktp=True)
    left = remaining_queue(session, site, taken["kodebooking"])
    return {
        "nomorantrean": taken["nomorantrean"],
        "angkaantrean": taken["angkaantrean"],
        "namapoli": taken["namapoli"],
        "sisaantrean": left["sisaantrean"],
        "antreanpanggil": left["antreanpanggil"],
        "keterangan": taken["keterangan"],
    }


def poli_status(session: Session, site: Site, code, day_text, *, now: datetime | None = None):
    """``antrean/status/{kodepoli}/{tanggalperiksa}``: every doctor's session of the poli."""
    now = now or timeutil.now_utc()
    day = parse_day(day_text, site, now)
    service = find_poli(session, site, code)
    sessions = doctors.sessions_for_day(session, service, day)
    if not sessions:
        raise Refused("Jadwal Poli Tersebut Belum Tersedia")
    called = [last_called(session, s) for s in sessions]
    return [
        {
            "namapoli": service.name,
            "totalantrean": held.taken_jkn + held.taken_nonjkn,
            "sisaantrean": not_yet_called(session, held),
            "antreanpanggil": number,
            "keterangan": "",
            "kodedokter": held.doctor.bpjs_code,
            "namadokter": held.doctor.name,
            "jampraktek": f"{held.start}-{held.end}",
        }
        for held, number in zip(sessions, called, strict=True)
    ]


def booking_of_card(session: Session, site: Site, card, code, day_text, now) -> Booking:
    """The live booking of this card number at this poli that day, or Refused."""
    card = check_card(card)
    day = parse_day(day_text, site, now, past_ok=True)
    service = find_poli(session, site, code)
    found = session.execute(
        select(Booking)
        .join(JknBooking, JknBooking.booking_id == Booking.id)
        .where(JknBooking.site_id == site.id, JknBooking.card_number == card)
        .where(JknBooking.day == day, Booking.service_id == service.id)
        .where(Booking.status != Booking.CANCELLED)
    ).scalar_one_or_none()
    if found is None:
        raise Refused("Antrean Tidak Ditemukan")
    return found


def remaining_of_card(session, site, card, code, day_text, *, now: datetime | None = None):
    """``antrean/sisapeserta/{nomorkartu}/{kodepoli}/{tanggalperiksa}``."""
    now = now or timeutil.now_utc()
    booking = booking_of_card(session, site, card, code, day_text, now)
    left = remaining_queue(session, site, booking.code)
    return {
        key: left[key] for key in ("nomorantrean", "namapoli", "sisaantrean", "antreanpanggil")
    } | {"keterangan": ""}


def cancel_of_card(session: Session, site: Site, fields: dict, *, now: datetime | None = None):
    """``antrean/batal`` (PUT): tanggalperiksa, kodepoli, nomorkartu (the reason is not kept)."""
    now = now or timeutil.now_utc()
    booking = booking_of_card(
        session,
        site,
        fields.get("nomorkartu"),
        fields.get("kodepoli"),
        fields.get("tanggalperiksa"),
        now,
    )
    cancel_jkn_booking(session, site, booking.code, now=now)
