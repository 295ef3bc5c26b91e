"""Real Chromium on a real server: book on a phone with WhatsApp alerts; the confirmation reaches
the installation's default gateway (a real local receiver) with its documented body."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM, save_screenshot
from tests.fake_receiver import fake_receiver
from tests.kiosk.test_booking_browser import slot_from_now
from tests.servers import running_server
from tests.sites import DEMO_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_book_with_whatsapp_and_the_confirmation_arrives(demo_db_url, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    start = slot_from_now(demo_db_url)
    with (
        fake_receiver() as gateway,
        running_server(
            demo_db_url,
            log_path=tmp_path / "server.log",
            ANTRE_NOTIFY_GATEWAY_URL=gateway.url + "/wa",
        ) as (base, _process),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
            phone.goto(base + f"/kiosk/booking/?site={DEMO_SLUG}&lang=id")
            phone.get_by_role("button", name=re.compile("Perekaman dan Pencetakan KTP-el")).click()
            phone.locator("#choices button").first.click()  # today comes first
            phone.get_by_role("button", name=re.compile(start.replace(":", "."))).click()
            expect(phone.locator("#notify")).to_be_visible()
            phone.locator("input[name=phone]").fill("0812-3456-7890")
            phone.get_by_label("WhatsApp").check()
            save_screenshot(phone, "booking-alerts-phone.png")
            phone.locator("#contact button[type=submit]").click()
            # No consent ticked: a clear message, nothing booked.
            expect(phone.locator("#message")).to_contain_text("Centang persetujuan")
            phone.locator("input[name=consent]").check()
            phone.locator("#contact button[type=submit]").click()
            phone.wait_for_url(re.compile(r"/kiosk/booking/[2-9A-Z]{8}$"))
            code = phone.locator("#code").inner_text().strip()
            [request] = gateway.wait_for(1)
        finally:
            browser.close()
    body = request.json()
    assert set(body) == {"id", "to", "channel", "text", "ticket"}
    assert (body["to"], body["channel"], body["ticket"]) == ("+6281234567890", "whatsapp", code)
    assert body["text"].startswith(f"Booking {code} di ")
    assert body["text"].endswith(f"{base}/kiosk/booking/{code}")
    assert request.headers["X-Antre-Message-Id"] == body["id"]
