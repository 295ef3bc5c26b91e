"""Real Chromium on a real server: book on a phone (360x740), then check in at the kiosk.

The demo's slots are weekday mornings, so the test gives KTP a slot of its own starting a few
minutes from now (today, in the mall's zone): inside the check-in window, still bookable.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import delete, select

from shared import timeutil
from shared.db import make_engine, make_session_factory
from shared.models import Holiday, Service, SlotTemplate
from tests.browser import ARGS, CHROMIUM, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def slot_from_now(db_url: str) -> str:
    """A KTP slot today starting 3 minutes from now (the day's other KTP slots removed)."""
    local = timeutil.local(timeutil.now_utc(), "Asia/Jakarta") + timedelta(minutes=3)
    if (
        local.hour == 23
        and local.minute > 20
        or local.date() != timeutil.business_date(timeutil.now_utc(), "Asia/Jakarta")
    ):
        pytest.skip("too close to midnight (WIB) for a slot today")
    start, end = f"{local:%H:%M}", f"{local + timedelta(minutes=30):%H:%M}"
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        ktp = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        weekday = local.weekday()
        session.execute(
            delete(SlotTemplate).where(
                SlotTemplate.service_id == ktp.id, SlotTemplate.weekday == weekday
            )
        )
        session.execute(delete(Holiday).where(Holiday.day == local.date()))
        session.add(
            SlotTemplate(service_id=ktp.id, weekday=weekday, start=start, end=end, capacity=10)
        )
        session.commit()
    engine.dispose()
    return start


def test_book_on_a_phone_then_check_in_at_the_kiosk(demo_db_url, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    start = slot_from_now(demo_db_url)
    with (
        running_server(demo_db_url, log_path=tmp_path / "server.log") as (base, _process),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
            phone.goto(base + "/kiosk/booking/?site=mpp-tebo&lang=id")
            # Each step shows only its own fields: no name form or "Pesan" before a time is
            # chosen (the `hidden` attribute must win over the form's `display: grid`).
            contact = phone.locator("#contact")
            ktp = phone.get_by_role("button", name=re.compile("Perekaman dan Pencetakan KTP-el"))
            ktp.wait_for()
            expect(contact).to_be_hidden()
            expect(phone.locator("#back")).to_be_hidden()  # nothing to go back to yet
            ktp.click()
            expect(contact).to_be_hidden()
            phone.locator("#choices button").first.click()  # today comes first
            expect(contact).to_be_hidden()
            expect(phone.get_by_role("button", name="Pesan")).to_have_count(0)
            phone.get_by_role("button", name=re.compile(start.replace(":", "."))).click()
            expect(phone.get_by_role("button", name="Pesan")).to_be_visible()
            phone.locator("input[name=name]").fill("Siti")
            phone.locator("#contact button[type=submit]").click()
            phone.wait_for_url(re.compile(r"/kiosk/booking/[2-9A-Z]{8}$"))
            code = phone.locator("#code").inner_text().strip()
            assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", code)
            expect(phone.locator("img.qr")).to_be_visible()
            save_screenshot(phone, "booking-phone.png")

            kiosk = browser.new_page(viewport={"width": 1280, "height": 720})
            kiosk.goto(base + "/kiosk/")
            kiosk.locator("#booking-entry").click()
            for key in code:
                kiosk.locator(f'[data-key="{key}"]').click()
            expect(kiosk.locator("#code-display")).to_have_text(code)
            kiosk.locator("#code-submit").click()
            expect(kiosk.locator("#screen-ticket")).to_be_visible()
            expect(kiosk.locator("#ticket-booked")).to_be_visible()
            number = kiosk.locator("#ticket-number").inner_text()
            assert re.fullmatch(r"A-?\d{3}", number)
            state = requests.get(f"{base}/kiosk/api/bookings/{code}", timeout=5).json()
            assert state["booking"]["status"] == "checked_in"
            assert state["booking"]["ticket"] == number

            # A USB QR scanner types the booking's URL and Enter, on the home screen.
            other = requests.post(
                f"{base}/kiosk/api/bookings",
                json={
                    "service_id": state["booking"]["service"]["id"],
                    "date": state["booking"]["date"],
                    "start": start,
                },
                timeout=5,
            ).json()["booking"]["code"]
            kiosk.locator("#nav-home").click()
            kiosk.keyboard.type(f"{base}/kiosk/booking/{other}")
            kiosk.keyboard.press("Enter")
            expect(kiosk.locator("#ticket-number")).not_to_have_text(number)
            expect(kiosk.locator("#ticket-booked")).to_be_visible()
            scanned = requests.get(f"{base}/kiosk/api/bookings/{other}", timeout=5).json()
            assert scanned["booking"]["ticket"] == kiosk.locator("#ticket-number").inner_text()

            # The same code again within two minutes at this kiosk: the same ticket, not a new one.
            kiosk.locator("#nav-home").click()
            kiosk.locator("#booking-entry").click()
            kiosk.keyboard.type(code)
            kiosk.keyboard.press("Enter")
            expect(kiosk.locator("#ticket-number")).to_have_text(number)
        finally:
            browser.close()
