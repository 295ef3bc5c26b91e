"""A clerk checks in a booking by code: own agency only (admins everywhere), audited, 4xx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shared import timeutil
from shared.models import AuditLog, Booking, Service, Site


@pytest.fixture
def ktp_booking(db):
    """A booking of Dukcapil's KTP for today at 00:00, with a window open until midnight."""

    def make(code: str, days: int = 0) -> str:
        mall = db.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        mall.checkin_early_minutes, mall.checkin_late_minutes = 30, 24 * 60
        ktp = db.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        today = timeutil.business_date(timeutil.now_utc(), mall.timezone)
        db.add(
            Booking(
                code=code,
                service_id=ktp.id,
                day=today + timedelta(days=days),
                start="00:00",
                end="00:30",
            )
        )
        db.commit()
        return code

    return make


@pytest.mark.parametrize(
    ("username", "status"),
    [("dukcapil1", 200), ("admin", 200), ("samsat1", 403), ("spv.samsat", 403)],
)
def test_only_the_agency_or_an_admin_checks_in(staff, db, ktp_booking, username, status):
    code = ktp_booking("CLRK2345")
    answer = staff(username).post(f"/counter/api/bookings/{code.lower()}/check-in", json={})
    assert answer.status_code == status, answer.get_json()
    booking = db.execute(select(Booking).where(Booking.code == code)).scalar_one()
    db.refresh(booking)
    if status == 403:
        assert booking.status == "booked" and booking.ticket_id is None
        return
    ticket = answer.get_json()["ticket"]
    assert ticket["source"] == "booking" and ticket["status"] == "waiting"
    assert booking.status == "checked_in"
    audit = db.execute(select(AuditLog).where(AuditLog.action == "booking.check_in")).scalar_one()
    assert audit.details["ticket"] == ticket["number"]


def test_refusals_and_sign_in(staff, anonymous, ktp_booking):
    code = ktp_booking("TWCE2345")
    clerk = staff("dukcapil1")
    assert clerk.post(f"/counter/api/bookings/{code}/check-in", json={}).status_code == 200
    again = clerk.post(f"/counter/api/bookings/{code}/check-in", json={})
    assert again.status_code == 409 and again.get_json()["error"] == "booking_used"
    tomorrow = clerk.post(f"/counter/api/bookings/{ktp_booking('BSK23456', 1)}/check-in")
    assert tomorrow.get_json()["error"] == "booking_wrong_day"
    assert clerk.post("/counter/api/bookings/NONE2345/check-in").status_code == 404
    assert anonymous().post(f"/counter/api/bookings/{code}/check-in").status_code in (400, 401)
