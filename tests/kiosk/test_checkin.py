"""Checking in a booking at the kiosk: the ticket, every refusal, the replay rule, printing.

The bookings are written straight into the demo database for "today" in the mall's zone, and the
mall's check-in window is widened or shut so that each case holds at any hour of the day.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shared import timeutil
from shared.booking import checkin
from shared.models import Booking, Service, Site, Ticket
from tests.kiosk.printers import RecordingPrinter


@pytest.fixture
def ktp(app_session) -> Service:
    service = app_session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
    app_session.commit()
    return service


@pytest.fixture
def window(app_session):
    """Set the mall's check-in window (minutes before, minutes after the slot's start)."""

    def set_window(early: int, late: int) -> None:
        mall = app_session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        mall.checkin_early_minutes, mall.checkin_late_minutes = early, late
        app_session.commit()

    return set_window


@pytest.fixture
def booked(app_session, ktp):
    """A booking of KTP for today (or ``days`` later) at ``start``; returns its code."""

    def make(code: str, start: str = "00:00", days: int = 0, status: str = "booked") -> str:
        today = timeutil.business_date(timeutil.now_utc(), "Asia/Jakarta")
        app_session.add(
            Booking(
                code=code,
                service_id=ktp.id,
                day=today + timedelta(days=days),
                start=start,
                end="00:30" if start == "00:00" else "23:59",
                status=status,
            )
        )
        app_session.commit()
        return code

    return make


def check_in(client, code: str, csrf: str | None = None, token: str | None = None):
    headers = {"X-Kiosk-Token": token} if token else {"X-CSRFToken": csrf}
    return client.post(f"/kiosk/api/bookings/{code}/check-in", headers=headers)


def tickets(app_session) -> int:
    count = app_session.execute(select(func.count(Ticket.id))).scalar_one()
    app_session.commit()
    return count


def test_check_in_gives_a_booking_ticket(client, csrf, app_session, booked, window, ktp):
    window(early=30, late=24 * 60)  # a slot at 00:00 with a window to midnight: always open
    code = booked("K7M2QX9B")
    answer = check_in(client, "k7m2-qx9b", csrf)
    assert answer.status_code == 201
    ticket = answer.json["ticket"]
    assert ticket["source"] == "booking" and ticket["booking"] == "K7M2QX9B"
    assert ticket["service_id"] == ktp.id and ticket["number"].startswith("A")
    assert answer.json["print"]["code"] == "no_printer"  # the demo kiosk has no printer
    state = client.get(f"/kiosk/api/bookings/{code}").json["booking"]
    assert (state["status"], state["ticket"]) == ("checked_in", ticket["number"])


def test_a_repeat_from_the_same_kiosk_gives_the_same_ticket(
    client, csrf, app_session, booked, window, register_kiosk
):
    window(early=30, late=24 * 60)
    code = booked("RPT2345A")
    first = check_in(client, code, csrf)
    again = check_in(client, code, csrf)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["ticket"]["number"] == first.json["ticket"]["number"]
    assert tickets(app_session) == 1
    token, _other = register_kiosk(name="Kiosk lain")
    elsewhere = check_in(client, code, token=token)
    assert elsewhere.status_code == 409 and elsewhere.json["error"] == "booking_used"
    assert first.json["ticket"]["number"] in elsewhere.json["message"]


def test_a_repeat_after_the_replay_time_is_refused(client, csrf, app_session, booked, window):
    window(early=30, late=24 * 60)
    code = booked("RTRY2345")
    assert check_in(client, code, csrf).status_code == 201
    used = app_session.execute(select(Booking).where(Booking.code == code)).scalar_one()
    used.checked_in_at -= timedelta(seconds=checkin.REPLAY_SECONDS + 1)
    app_session.commit()
    again = check_in(client, code, csrf)
    assert again.status_code == 409 and again.json["error"] == "booking_used"
    assert tickets(app_session) == 1


def test_refusals_are_clear(client, csrf, app_session, booked, window, ktp):
    window(early=0, late=0)
    too_early = check_in(client, booked("EARY2345", start="23:59"), csrf)
    too_late = check_in(client, booked("TARDY234"), csrf)
    other_day = check_in(client, booked("TMRW2345", days=1), csrf)
    cancelled = check_in(client, booked("BATA2345", status="cancelled"), csrf)
    unknown = check_in(client, "ZZZZ2345", csrf)
    malformed = check_in(client, "ABC", csrf)
    assert (too_early.status_code, too_early.json["error"]) == (409, "booking_too_early")
    assert too_early.json["message"] == "Terlalu awal: check-in dibuka pukul 23.59."
    assert (too_late.status_code, too_late.json["error"]) == (409, "booking_too_late")
    assert too_late.json["service_id"] == ktp.id  # the kiosk offers a regular ticket for it
    assert "00.00" in too_late.json["message"]
    assert (other_day.status_code, other_day.json["error"]) == (409, "booking_wrong_day")
    assert (cancelled.status_code, cancelled.json["error"]) == (409, "booking_cancelled")
    assert (unknown.status_code, unknown.json["error"]) == (404, "booking_not_found")
    assert (malformed.status_code, malformed.json["error"]) == (422, "invalid_booking_code")
    for answer in (too_early, too_late, other_day, cancelled, unknown, malformed):
        assert answer.json["message"]
    english = client.post(
        "/kiosk/api/bookings/TARDY234/check-in?lang=en", headers={"X-CSRFToken": csrf}
    )
    assert english.json["message"].startswith("Too late: check-in closed at 00.00.")
    assert tickets(app_session) == 0


def test_only_a_registered_kiosk_checks_in(client, booked, window):
    window(early=30, late=24 * 60)
    code = booked("TKN23456")
    assert check_in(client, code, token="not-a-kiosk-token").status_code == 401
    # A cookie (the kiosk page) without the CSRF token is refused too.
    refused = client.post(f"/kiosk/api/bookings/{code}/check-in")
    assert refused.status_code == 400


def test_the_booking_ticket_prints(app, client, app_session, booked, window, register_kiosk):
    window(early=30, late=24 * 60)
    printer = RecordingPrinter()
    try:
        token, _kiosk = register_kiosk(printer_uri=printer.uri, paper_width=58)
        code = booked("PRNT2345")
        answer = check_in(client, code, token=token)
        printer.done.wait(2)
        assert answer.status_code == 201 and answer.json["print"]["ok"] is True
        assert answer.json["ticket"]["number"].encode() in printer.data
        assert answer.json["ticket"]["url"].encode() in printer.data
        jobs = len(printer.jobs)
        again = check_in(client, code, token=token)
        assert again.status_code == 200 and again.json["print"]["code"] == "printed"
        assert len(printer.jobs) == jobs  # the repeat prints nothing
    finally:
        printer.close()
    ticket = app_session.execute(select(Ticket)).scalar_one()
    app_session.commit()
    assert (ticket.source, ticket.print_state) == ("booking", "printed")


def test_a_kiosk_limited_to_other_agencies_refuses_the_booking(
    client, app_session, booked, window, register_kiosk, ktp
):
    """A kiosk of Samsat only cannot check in a Dukcapil (KTP) booking (issue 13, item 9)."""
    from shared.models import Agency

    window(early=30, late=24 * 60)
    samsat = app_session.execute(select(Agency).where(Agency.short_name == "Samsat")).scalar_one()
    app_session.commit()
    assert samsat.id != ktp.agency_id
    token, _ = register_kiosk(name="Kios Samsat", agency_ids=[samsat.id])
    code = booked("SMST2345")
    refused = check_in(client, code, token=token)
    assert (refused.status_code, refused.json["error"]) == (403, "booking_other_agency")
    assert refused.json["message"].startswith("Kios ini tidak melayani Dinas Kependudukan")
    assert tickets(app_session) == 0
    # The same booking at a kiosk that offers Dukcapil checks in.
    dukcapil_token, _ = register_kiosk(name="Kios Dukcapil", agency_ids=[ktp.agency_id])
    assert check_in(client, code, token=dukcapil_token).status_code == 201
