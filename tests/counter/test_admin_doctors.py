"""The admin pages of a site's doctors: weekly sessions split JKN / non-JKN, leave days, clear
Indonesian errors, the audit log, today's sessions left alone, and the service form's new
payer and waiting target."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from shared import timeutil
from shared.models import AuditLog, Doctor, DoctorSession, Service
from shared.queue.doctors import sessions_for_day
from tests.counter import health_admin

hospital, admin_rs = health_admin.hospital, health_admin.admin_rs
post, text = health_admin.post, health_admin.text


def doctor_form(service, *, name="dr. Baru, Sp.A", bpjs="4242", sessions=(), leaves=()):
    form = {
        "name": name,
        "service_id": str(service.id),
        "bpjs_code": bpjs,
        "active": "1",
        "schedules-count": str(len(sessions)),
        "leaves-count": str(len(leaves)),
    }
    for i, (weekday, start, end, capacity, quota) in enumerate(sessions):
        form.update(
            {
                f"schedules-{i}-weekday": str(weekday),
                f"schedules-{i}-start": start,
                f"schedules-{i}-end": end,
                f"schedules-{i}-capacity": str(capacity),
                f"schedules-{i}-quota_jkn": str(quota),
            }
        )
    for i, (day, note) in enumerate(leaves):
        form.update({f"leaves-{i}-day": day, f"leaves-{i}-note": note})
    return form


MONDAY_TO_SATURDAY = [(d, "08:00", "12:00", 30, 24) for d in range(6)]


def test_a_new_doctor_is_saved_with_sessions_and_leave_and_audited(admin_rs, hospital, db):
    page = text(admin_rs.get("/counter/admin/doctors/new"))
    assert "<th>Kuota JKN</th>" in page and "<th>Non-JKN (sisanya)</th>" in page
    assert 'id="sessions-kept"' in page and "Sesi yang sudah dibuka" in page
    assert page.count('name="schedules-') >= 7 * 5  # a row for each weekday
    form = doctor_form(
        hospital.poli, sessions=MONDAY_TO_SATURDAY, leaves=[("2030-01-02", "Cuti tahunan")]
    )
    assert post(admin_rs, "/counter/admin/doctors/new", form).status_code == 302
    db.expire_all()
    doctor = db.execute(select(Doctor).where(Doctor.name == "dr. Baru, Sp.A")).scalar_one()
    assert (doctor.site_id, doctor.service_id, doctor.bpjs_code) == (
        hospital.site.id,
        hospital.poli.id,
        "4242",
    )
    assert [(s.weekday, s.start, s.end, s.capacity, s.quota_jkn) for s in doctor.schedules] == (
        MONDAY_TO_SATURDAY
    )
    assert [(x.day, x.note) for x in doctor.leaves] == [(date(2030, 1, 2), "Cuti tahunan")]
    audit = db.execute(select(AuditLog).where(AuditLog.action == "doctors.create")).scalar_one()
    assert audit.details["changes"]["schedules"][1][0] == "0 08:00-12:00 30/24"
    listing = text(admin_rs.get("/counter/admin/doctors/"))
    assert "dr. Baru, Sp.A" in listing and "<th>Kode BPJS</th>" in listing
    edit = text(admin_rs.get(f"/counter/admin/doctors/{doctor.id}"))
    assert ">6</td>" in edit  # non-JKN: 30 - 24


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"bpjs": "DR-1"}, "bpjs_code", "Kode BPJS hanya berisi angka, seperti 1001."),
        (
            {"sessions": [(0, "08:00", "12:00", 30, 31)]},
            "schedules",
            "Senin: kuota JKN 0 sampai kapasitas (30).",
        ),
        (
            {"sessions": [(1, "12:00", "08:00", 30, 24)]},
            "schedules",
            "Selasa: jam selesai harus setelah jam mulai.",
        ),
        (
            {"sessions": [(2, "8 pagi", "12:00", 30, 24)]},
            "schedules",
            "Rabu: tulis jam seperti 08:00.",
        ),
        (
            {"sessions": [(0, "08:00", "12:00", 30, 24), (0, "11:00", "14:00", 10, 5)]},
            "schedules",
            "Senin: dua sesi bertumpang tindih.",
        ),
        ({"leaves": [("besok", "")]}, "leaves", "Tulis setiap tanggal cuti seperti 2026-12-25."),
        ({"name": ""}, "name", "wajib"),
    ],
)
def test_mistakes_are_said_in_indonesian(admin_rs, hospital, db, change, field, message):
    answer = post(admin_rs, "/counter/admin/doctors/new", doctor_form(hospital.poli, **change))
    assert answer.status_code == 422
    page = text(answer)
    assert f'id="error-{field}"' in page and message in page
    assert db.execute(select(Doctor).where(Doctor.bpjs_code == "4242")).scalar() is None


def test_a_new_schedule_leaves_todays_sessions_as_they_were(admin_rs, hospital, db):
    today = timeutil.business_date(timeutil.now_utc(), hospital.site.timezone)
    made = sessions_for_day(db, hospital.poli, today)
    db.commit()
    before = [(s.start, s.end, s.quota_jkn, s.quota_nonjkn) for s in made]
    doctor = hospital.doctor
    form = doctor_form(
        hospital.poli,
        name=doctor.name,
        bpjs="1001",
        sessions=[(d, "13:00", "16:00", 10, 5) for d in range(7)],
    )
    assert post(admin_rs, f"/counter/admin/doctors/{doctor.id}", form).status_code == 302
    db.expire_all()
    assert [(s.start, s.capacity) for s in db.get(Doctor, doctor.id).schedules] == [
        ("13:00", 10)
    ] * 7
    kept = db.execute(select(DoctorSession).where(DoctorSession.day == today)).scalars().all()
    assert [(s.start, s.end, s.quota_jkn, s.quota_nonjkn) for s in kept] == before


def test_removing_a_session_row_comes_back_unsaved(admin_rs, hospital, db):
    doctor = hospital.doctor
    path = f"/counter/admin/doctors/{doctor.id}"
    form = doctor_form(hospital.poli, name=doctor.name, sessions=MONDAY_TO_SATURDAY)
    page = text(post(admin_rs, path, {**form, "rows": "schedules:0:remove"}))
    assert 'name="schedules-count" value="5"' in page
    db.expire_all()
    assert len(db.get(Doctor, doctor.id).schedules) == 7


def test_another_sites_admin_gets_404(staff, hospital, site_b, db):
    path = f"/counter/admin/doctors/{hospital.doctor.id}"
    admin_b = staff("admin.b")
    assert admin_b.get(path).status_code == 404
    form = doctor_form(site_b["service"], name="dr. Lain")
    assert post(admin_b, path, form).status_code == 404
    assert "dr. Uji" not in text(admin_b.get("/counter/admin/doctors/"))
    db.expire_all()
    assert db.get(Doctor, hospital.doctor.id).name == "dr. Uji, Sp.PD"
    # A's doctors name A's services: B's service is not on B's admin's own form either way.
    refused = post(admin_b, "/counter/admin/doctors/new", doctor_form(hospital.poli))
    assert refused.status_code == 422


def test_a_service_has_a_payer_and_a_waiting_target(admin_rs, hospital, db):
    path = f"/counter/admin/services/{hospital.cashier.id}"
    page = text(admin_rs.get(path))
    assert "Target waktu tunggu dalam menit" in page and "Untuk (penjamin)" in page
    form = {
        "agency_id": str(hospital.cashier.agency_id),
        "code": hospital.cashier.code,
        "name": hospital.cashier.name,
        "prefix": hospital.cashier.prefix,
        "avg_service_minutes": "5",
        "priority_ratio": "0",
        "recall_limit": "2",
        "transfer_placement": "front",
        "booking_placement": "front",
        "display_order": "0",
        "active": "1",
        "payer": "umum",
        "wait_target_minutes": "601",
    }
    refused = post(admin_rs, path, form)
    assert refused.status_code == 422 and 'id="error-wait_target_minutes"' in text(refused)
    assert post(admin_rs, path, {**form, "wait_target_minutes": "45"}).status_code == 302
    db.expire_all()
    service = db.get(Service, hospital.cashier.id)
    assert (service.payer, service.wait_target_minutes) == ("umum", 45)
    assert post(admin_rs, path, {**form, "payer": "", "wait_target_minutes": ""}).status_code == 302
    db.expire_all()
    service = db.get(Service, hospital.cashier.id)
    assert (service.payer, service.wait_target_minutes) == (None, None)
