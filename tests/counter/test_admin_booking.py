"""Booking administration: slot templates (supervisors: own agency), holidays, settings; audited."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from shared.models import AuditLog, Holiday, Service, Site, SlotTemplate
from tests.counter.conftest import agency_by_short, csrf_of


def service_id(db, code: str) -> int:
    return db.execute(select(Service.id).where(Service.code == code)).scalar_one()


def slot_form(service: int, **override) -> dict:
    form = {"service_id": str(service), "weekday": "5", "start": "09:00", "end": "09:30"}
    return {**form, "capacity": "12", **override}


def post(client, path: str, form: dict):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def test_supervisor_adds_a_slot_for_own_agency_only(staff, db):
    spv = staff("spv.dukcapil")
    ktp, samsat_service = service_id(db, "KTP"), service_id(db, "PKB")
    made = post(spv, "/counter/admin/slots/new", slot_form(ktp, start="09.00"))
    assert made.status_code == 302
    slot = db.execute(
        select(SlotTemplate).where(SlotTemplate.service_id == ktp, SlotTemplate.weekday == 5)
    ).scalar_one()
    assert (slot.start, slot.end, slot.capacity) == ("09:00", "09:30", 12)
    audit = db.execute(select(AuditLog).where(AuditLog.action == "slots.create")).scalar_one()
    assert audit.details["changes"]["capacity"] == [10, 12]  # from the new form's default
    other = post(spv, "/counter/admin/slots/new", slot_form(samsat_service))
    assert other.status_code == 422  # not among a Dukcapil supervisor's choices
    samsat_slot = SlotTemplate(service_id=samsat_service, weekday=6, start="10:00", end="10:30")
    db.add(samsat_slot)
    db.commit()
    assert spv.get(f"/counter/admin/slots/{samsat_slot.id}").status_code == 403
    listed = spv.get("/counter/admin/slots/").get_data(as_text=True)
    assert "Sabtu" in listed and "Minggu" not in listed
    assert staff("spv.samsat").get(f"/counter/admin/slots/{slot.id}").status_code == 403
    assert staff("dukcapil1").get("/counter/admin/slots/").status_code == 403


def test_slot_validation_messages(staff, db):
    admin = staff("admin")
    ktp = service_id(db, "KTP")
    cases = {
        "start": (dict(start="25:00"), "Tulis jam seperti 08:30."),
        "end": (dict(start="10:00", end="09:30"), "Jam selesai harus setelah jam mulai."),
        "capacity": (dict(capacity="0"), "Paling sedikit 1."),
    }
    for field, (override, message) in cases.items():
        answer = post(admin, "/counter/admin/slots/new", slot_form(ktp, **override))
        assert answer.status_code == 422, field
        assert message in answer.get_data(as_text=True), field
    monday = post(admin, "/counter/admin/slots/new", slot_form(ktp, weekday="0", start="08:15"))
    assert monday.status_code == 422  # the demo's Monday 08:00-08:30 slot
    assert "Bertumpang tindih dengan slot 08:00–08:30" in monday.get_data(as_text=True)


def holiday_on(db, day: date) -> Holiday | None:
    return db.execute(select(Holiday).where(Holiday.day == day)).scalar_one_or_none()


def test_admin_manages_holidays_and_deletes_audited(staff, db):
    admin = staff("admin")
    made = post(admin, "/counter/admin/holidays/new", {"day": "2026-12-25", "name": "Natal"})
    assert made.status_code == 302
    holiday = holiday_on(db, date(2026, 12, 25))
    assert holiday.name == "Natal" and holiday.site_id == agency_by_short(db, "Dukcapil").site_id
    again = post(admin, "/counter/admin/holidays/new", {"day": "2026-12-25", "name": "Lagi"})
    assert again.status_code == 422 and "sudah hari libur" in again.get_data(as_text=True)
    bad = post(admin, "/counter/admin/holidays/new", {"day": "25/12/2026", "name": "Natal"})
    assert bad.status_code == 422 and "2026-12-25" in bad.get_data(as_text=True)
    path = f"/counter/admin/holidays/{holiday.id}"
    assert "Natal" in admin.get(path).get_data(as_text=True)
    assert staff("spv.dukcapil").get(path).status_code == 403
    gone = post(admin, path + "/delete", {})
    assert gone.status_code == 302
    db.expire_all()
    assert holiday_on(db, date(2026, 12, 25)) is None
    audit = db.execute(select(AuditLog).where(AuditLog.action == "holidays.delete")).scalar_one()
    assert audit.details["deleted"] == {"day": "2026-12-25", "name": "Natal"}


def test_booking_settings_validated(staff, db):
    admin = staff("admin")
    mall_id = db.execute(select(Site.id).where(Site.slug == "mpp-tebo")).scalar_one()
    path = f"/counter/admin/booking/{mall_id}"
    form = {
        "booking_horizon_days": "14",
        "checkin_early_minutes": "45",
        "checkin_late_minutes": "10",
        "booking_retention_days": "30",
    }
    assert post(admin, path, {**form, "checkin_late_minutes": "-5"}).status_code == 422
    assert post(admin, path, form).status_code == 302
    mall = db.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
    db.refresh(mall)
    assert (mall.booking_horizon_days, mall.checkin_early_minutes) == (14, 45)
    assert (mall.checkin_late_minutes, mall.booking_retention_days) == (10, 30)
    assert staff("spv.dukcapil").get(path).status_code == 403
