"""The console and the counter form at a site with pathways and doctors, rendered in Indonesian."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.models import Counter, StaffUser
from tests.counter.conftest import csrf_of
from tests.factories import Factory
from tests.hospital import build_hospital


@pytest.fixture
def rs(db):
    make = Factory(db)
    hospital = build_hospital(make)
    make.user(StaffUser.ADMIN, username="admin.rs", site_id=hospital.site.id)
    make.user(StaffUser.CLERK, hospital.poli.agency, username="rs.poli")
    db.commit()
    return hospital


def _room(db, rs) -> Counter:
    stmt = select(Counter).where(Counter.services.contains(rs.poli))
    return db.execute(stmt).scalars().first()


def _post(client, path, form):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def test_the_console_names_the_rooms_doctor_and_has_the_finish_dialog_in_indonesian(staff, db, rs):
    room = _room(db, rs)
    room.doctor_id = rs.doctor.id
    db.commit()
    page = staff("rs.poli").get(f"/counter/console/{room.id}").get_data(as_text=True)
    assert 'id="counter-doctor"' in page and "dr. Uji, Sp.PD" in page
    assert 'id="finish-dialog"' in page
    for words in ("Selesai dan lanjutkan", "Tanpa resep", "Racikan", "Langkah berikutnya"):
        assert words in page
    assert "Akhiri kunjungan di sini" in page and "Sesi praktik dokter" in page
    assert "Selesai \\u2192 {target}" in page or "Selesai → {target}" in page
    assert "counter/finish.js" in page


def test_a_counter_without_a_doctor_shows_none(staff, db, rs):
    page = staff("rs.poli").get(f"/counter/console/{_room(db, rs).id}").get_data(as_text=True)
    assert 'id="counter-doctor"' not in page


def test_the_site_admin_gives_a_consulting_room_its_doctor(staff, db, rs):
    admin = staff("admin.rs")
    room = _room(db, rs)
    form_page = admin.get(f"/counter/admin/counters/{room.id}").get_data(as_text=True)
    assert "Dokter di ruang ini" in form_page and "Tanpa dokter" in form_page
    form = {
        "agency_id": str(room.agency_id),
        # The factory numbers counters from a count shared by the whole run (past the form's
        # 999 late in a run): give the room a number the form accepts.
        "number": str((room.number - 1) % 999 + 1),
        "name": "Ruang 3",
        "services": str(rs.poli.id),
        "doctor_id": str(rs.doctor.id),
    }
    assert _post(admin, f"/counter/admin/counters/{room.id}", form).status_code == 302
    db.expire_all()
    assert db.get(Counter, room.id).doctor_id == rs.doctor.id

    cashier_room = db.execute(
        select(Counter).where(Counter.services.contains(rs.cashier))
    ).scalar_one()
    wrong = {
        **form,
        "agency_id": str(cashier_room.agency_id),
        "number": str((cashier_room.number - 1) % 999 + 1),
        "services": str(rs.cashier.id),
    }
    answer = _post(admin, f"/counter/admin/counters/{cashier_room.id}", wrong)
    assert answer.status_code == 422
    assert "Dokter harus berpraktik di salah satu layanan loket ini." in answer.get_data(
        as_text=True
    )

    cleared = _post(admin, f"/counter/admin/counters/{room.id}", {**form, "doctor_id": ""})
    assert cleared.status_code == 302
    db.expire_all()
    assert db.get(Counter, room.id).doctor_id is None


def test_a_site_without_doctors_has_no_doctor_field(staff):
    page = staff("admin").get("/counter/admin/counters/new").get_data(as_text=True)
    assert "Dokter di ruang ini" not in page
