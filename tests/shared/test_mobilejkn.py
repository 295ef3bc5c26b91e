"""Mobile JKN's rules without Flask: the last JKN place raced by Mobile JKN and the kiosk's
booking page at once goes to one caller (SQLite and PostgreSQL), and the purge."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from shared import timeutil
from shared.booking.sessions import book_doctor_session
from shared.db import make_engine, make_session_factory
from shared.mobilejkn import booking as jkn
from shared.mobilejkn.errors import Refused
from shared.mobilejkn.patients import register_new_patient
from shared.mobilejkn.purge import purge_jkn_data
from shared.models import Booking, DoctorSession, JknBooking, JknPatient
from shared.queue import doctors
from shared.queue.doctors import SessionFull
from tests.factories import Factory
from tests.hospital import build_hospital


def _fields(hospital, day, card: str) -> dict:
    return {
        "nomorkartu": card,
        "nik": "3509014101900" + card[-3:],
        "nohp": "081234567890",
        "kodepoli": hospital.poli.code,
        "norm": "RM-" + card[-4:],
        "tanggalperiksa": day.isoformat(),
        "kodedokter": 1001,
        "jampraktek": "00:00-23:59",
        "jeniskunjungan": 1,
        "nomorreferensi": "0001R0040116A000001",
    }


def _race(url: str) -> tuple[list[str], int]:
    """Eight callers for the last JKN place: four through Mobile JKN, four through the booking
    page, all at once."""
    engine = make_engine(url)
    make = make_session_factory(engine)
    now = timeutil.now_utc()
    with make() as session:
        hospital = build_hospital(Factory(session), capacity=3, quota_jkn=1)
        day = timeutil.business_date(now, hospital.site.timezone)
        [held] = doctors.sessions_for_day(session, hospital.poli, day)
        session.commit()
        site_id, held_id = hospital.site.id, held.id
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def through_jkn(index: int):
        start.wait(30)
        with make() as session:
            from shared.models import Site

            site = session.get(Site, site_id)
            try:
                jkn.take_jkn_queue(session, site, _fields(hospital, day, f"000000000010{index}"))
                session.commit()
                outcomes.append("booked")
            except Refused as refusal:
                session.rollback()
                outcomes.append(refusal.message)

    def through_page():
        start.wait(30)
        with make() as session:
            try:
                book_doctor_session(session, held_id, "jkn", now=now)
                session.commit()
                outcomes.append("booked")
            except SessionFull:
                session.rollback()
                outcomes.append("Kuota JKN sudah habis")

    threads = [threading.Thread(target=through_jkn, args=(i,)) for i in range(4)]
    threads += [threading.Thread(target=through_page) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with make() as session:
        taken = session.get(DoctorSession, held_id).taken_jkn
        stored = session.query(Booking).filter_by(doctor_session_id=held_id).count()
    engine.dispose()
    assert taken == stored
    return sorted(outcomes), stored


@pytest.mark.slow
def test_the_last_jkn_place_goes_to_one_caller_on_sqlite(db_url):
    assert _race(db_url) == (["Kuota JKN sudah habis"] * 7 + ["booked"], 1)


@pytest.mark.slow
@pytest.mark.postgres
def test_the_last_jkn_place_goes_to_one_caller_on_postgresql(pg_url):
    assert _race(pg_url) == (["Kuota JKN sudah habis"] * 7 + ["booked"], 1)


def test_personal_data_is_erased_after_retention(session, factory):
    hospital = build_hospital(factory)
    now = timeutil.now_utc()
    day = timeutil.business_date(now, hospital.site.timezone)
    answer = jkn.take_jkn_queue(session, hospital.site, _fields(hospital, day, "0000000001234"))
    register_new_patient(
        session,
        hospital.site,
        {
            "nomorkartu": "0000000005678",
            "nik": "3509014101905678",
            "nama": "Ani",
            "jeniskelamin": "P",
            "tanggallahir": "1990-01-01",
        },
        now=now,
    )
    assert purge_jkn_data(session, now=now) == 0
    later = now + timedelta(days=400)
    assert purge_jkn_data(session, now=later) == 2
    row = session.query(JknBooking).one()
    assert (row.card_number, row.nik, row.medical_record) == (None, None, None)
    assert session.query(JknPatient).count() == 0
    assert session.query(Booking).filter_by(code=answer["kodebooking"]).one()  # the booking stays
