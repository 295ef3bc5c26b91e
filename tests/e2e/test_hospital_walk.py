"""A patient's morning at the demo RSUD, in real Chromium against ONE real server (the demo seed).

The kiosk (1080×1920) gives a ticket for Poli Anak, which queues the visit at registration; the
clerks act through the counter's HTTP API (call next, start, finish) at the registration window,
then in the poli's consulting room, then at the pharmacy; plain finish follows the pathway "Rawat
Jalan". Each call shows on its waiting room's TV (1366×768) and the phone (360×740) follows every
step: its number, service and status change, and it ends "done". Waits are for states only.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser import WAIT, require_chromium, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("hospital")
    with running_server(
        f"sqlite:///{folder / 'antre.db'}",
        log_path=folder / "server.log",
        ANTRE_INSTANCE_PATH=str(folder / "instance"),
    ) as (base, _process):
        _practise_all_day_today(f"sqlite:///{folder / 'antre.db'}")
        yield base


def _practise_all_day_today(url: str) -> None:
    """The demo's paediatrician practises Monday to Saturday 08:00–12:00; the walk may run at
    any hour, so give her a session today from 00:00 to 23:59 (the kiosk makes it on first ask)."""
    from sqlalchemy import select

    from shared import timeutil
    from shared.db import make_engine, make_session_factory
    from shared.models import Doctor, DoctorSchedule

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        doctor = session.execute(select(Doctor).where(Doctor.bpjs_code == "1002")).scalar_one()
        today = timeutil.business_date(timeutil.now_utc(), "Asia/Jakarta")
        session.add(
            DoctorSchedule(
                doctor=doctor,
                weekday=today.weekday(),
                start="00:00",
                end="23:59",
                capacity=30,
                quota_jkn=24,
            )
        )
        session.commit()
    engine.dispose()


class Clerk:
    """A clerk signed in through the real form, acting through the counter's JSON API."""

    def __init__(self, browser, base: str, username: str, counter_name: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1366, "height": 800})
        page = self.context.new_page()
        page.goto(f"{base}/counter/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "antre123")
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/counter/login" not in url, timeout=WAIT)
        self.token = page.locator("meta[name=csrf-token]").get_attribute("content")
        button = page.locator("button.pick", has_text=counter_name)
        self.counter_id = int(button.get_attribute("data-counter"))
        page.close()

    def post(self, path: str, body: dict) -> dict:
        answer = self.context.request.post(
            f"{self.base}/counter/api{path}", data=body, headers={"X-CSRFToken": self.token}
        )
        assert answer.status == 200, f"{path}: {answer.status} {answer.text()[:300]}"
        return answer.json()

    def call_next(self) -> dict:
        body = {"request_id": uuid.uuid4().hex}
        return self.post(f"/counters/{self.counter_id}/call-next", body)["ticket"]

    def start(self, ticket: dict) -> None:
        self.post(f"/tickets/{ticket['id']}/start", {})

    def finish(self, ticket: dict) -> None:
        self.post(f"/tickets/{ticket['id']}/finish", {})


def open_tv(browser, base: str, zone: str):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{base}/display/")
    page.get_by_role("link", name="RSUD Sultan Thaha Saifuddin").click()
    page.get_by_role("link", name=zone).click()
    page.wait_for_selector("#tv", timeout=WAIT)
    return page


def take_poli_ticket(kiosk, base: str) -> dict:
    from playwright.sync_api import expect

    kiosk.goto(f"{base}/kiosk/?site=rsud-sts")
    kiosk.locator(".tile", has_text="Anak").click()
    kiosk.locator(".service:not(.closed) .service-take").first.click()
    # The doctor's session (places left shown), then who pays, then the priority group.
    kiosk.locator("#screen-doctor .doctor", has_text=re.compile(r"23[.:]59")).click()
    kiosk.locator("#screen-payer [data-payer='jkn']").click()
    with kiosk.expect_response(lambda r: r.url.endswith("/kiosk/api/tickets")) as answer:
        kiosk.locator("[data-priority='none']").click()
    body = answer.value.json()
    assert "ticket" in body, body
    ticket = body["ticket"]
    expect(kiosk.locator("#ticket-number")).to_have_text(ticket["number"], timeout=WAIT)
    return ticket


def test_a_patient_from_kiosk_through_registration_poli_and_pharmacy(server, browser):
    from playwright.sync_api import expect

    base = server
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    ticket = take_poli_ticket(kiosk, base)
    assert re.fullmatch(r"A-\d{3}", ticket["number"])  # registration first (JKN window)
    save_screenshot(kiosk, "hospital-kiosk-ticket.png")

    phone_context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.goto(f"{base}/t/{ticket['code']}?lang=id")
    if phone.locator("#tk-sound-skip").is_visible():
        phone.locator("#tk-sound-skip").tap()
    expect(phone.locator("#tk-link")).to_have_text("Terhubung", timeout=WAIT)
    expect(phone.locator("#tk-number")).to_have_text(ticket["number"])

    tvs = {
        zone: open_tv(browser, base, zone)
        for zone in ("Lobi Pendaftaran", "Ruang Tunggu Poliklinik", "Ruang Tunggu Farmasi")
    }
    steps = [
        ("pendaftaran1", "Loket Pendaftaran JKN 1", "Lobi Pendaftaran", "Pendaftaran Pasien JKN"),
        ("polianak1", "Ruang 3", "Ruang Tunggu Poliklinik", "Poli Anak"),
        ("farmasi1", "Loket Farmasi 1", "Ruang Tunggu Farmasi", "Resep Non Racikan"),
    ]
    shown = ticket["number"]
    for index, (username, counter_name, zone, service) in enumerate(steps):
        clerk = Clerk(browser, base, username, counter_name)
        expect(phone.locator("#tk-service")).to_contain_text(service, timeout=WAIT)
        expect(phone.locator("#tk-number")).to_have_text(shown, timeout=WAIT)
        # The whole path is listed, the step it stands at marked as the current one.
        here = phone.locator("#tk-path-list li[aria-current='step']")
        expect(here).to_contain_text(service, timeout=WAIT)
        called = clerk.call_next()
        assert called["number"] == shown
        tv = tvs[zone]
        expect(tv.locator("#hero-number")).to_have_text(shown, timeout=WAIT)
        expect(tv.locator("#hero-counter")).to_contain_text(counter_name.split()[-1])
        expect(phone.locator("#tk-alert")).to_be_visible(timeout=WAIT)
        expect(phone.locator("#tk-alert-text")).to_contain_text(counter_name)
        save_screenshot(tv, f"hospital-tv-{index + 1}.png")
        save_screenshot(phone, f"hospital-phone-called-{index + 1}.png")
        phone.locator("#tk-alert-ok").tap()
        clerk.start(called)
        expect(phone.locator("#tk-status")).to_have_class(re.compile("is-serving"), timeout=WAIT)
        clerk.finish(called)
        if index + 1 < len(steps):
            # The pathway queues the visit at the next step: the same page, a new number.
            expect(phone.locator("#tk-number")).not_to_have_text(shown, timeout=WAIT)
            shown = phone.locator("#tk-number").inner_text()
            save_screenshot(phone, f"hospital-phone-step-{index + 2}.png")
        clerk.context.close()

    expect(phone.locator("#tk-status")).to_have_class(re.compile("is-done"), timeout=WAIT)
    expect(phone.locator("#tk-number")).to_have_text(shown)
    expect(phone.locator("#tk-path-list li")).to_have_count(len(steps))
    save_screenshot(phone, "hospital-phone-done.png")
