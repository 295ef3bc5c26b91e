"""Real Chromium at a hospital kiosk, 1080×1920: poli → doctor's session → payer → priority →
a ticket that says where to go first. The test hospital (tests/hospital.py) is added to the
server's database beside the demo sites; its demo kiosk is /kiosk/?site=<slug>."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from shared.db import make_engine, make_session_factory
from shared.models import Doctor, DoctorSchedule, Kiosk
from tests.browser import WAIT, require_chromium, save_screenshot
from tests.factories import Factory
from tests.hospital import build_hospital
from tests.kiosk.test_browser import _check_touch_targets, watch
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _add_hospital(db_url: str) -> dict:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            rs = build_hospital(Factory(session))
            rs.reg_jkn.name, rs.reg_umum.name = "Pendaftaran Pasien JKN", "Pendaftaran Pasien Umum"
            rs.poli.name = "Poli Penyakit Dalam"
            rs.poli.agency.name, rs.poli.agency.short_name = "Poliklinik Rawat Jalan", "Poli"
            second = Doctor(site_id=rs.site.id, service=rs.poli, name="dr. Rina Lestari, Sp.PD")
            second.bpjs_code = "1003"
            second.schedules = [
                DoctorSchedule(weekday=d, start="00:01", end="23:59", capacity=2, quota_jkn=2)
                for d in range(7)
            ]  # no place for umum: shown as such on the payer screen
            session.add(second)
            session.add(Kiosk(name="Demo", site_id=rs.site.id, is_demo=True, token_hash="x" * 64))
            session.commit()
            return {"slug": rs.site.slug, "agency": rs.poli.agency.id}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("kiosk-poli-browser")
    db_url = f"sqlite:///{tmp / 'antre.db'}"
    with running_server(
        db_url,
        log_path=tmp / "server.log",
        ANTRE_INSTANCE_PATH=str(tmp / "instance"),
        ANTRE_PRINTER=f"file://{tmp / 'printer.bin'}",
    ) as (base, _process):
        yield base, _add_hospital(db_url)


def test_a_poli_asks_the_doctor_then_the_payer_at_1080_by_1920(server, browser):
    base, rs = server
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    problems = watch(page)
    try:
        page.goto(f"{base}/kiosk/?site={rs['slug']}&ticket=60")
        page.locator(f".tile[data-agency='{rs['agency']}']").click(timeout=WAIT)
        page.locator(".service-take", has_text="Poli Penyakit Dalam").click()

        doctors = page.locator("#screen-doctor")
        expect(doctors).to_be_visible()
        expect(doctors.locator(".screen-title")).to_be_focused()  # reading starts there
        expect(doctors.locator(".screen-title")).to_have_text("Pilih dokter")
        first = doctors.locator(".doctor", has_text="dr. Uji, Sp.PD")
        expect(first).to_contain_text("Jam praktik 00.00–23.59")
        expect(first).to_contain_text("JKN: 24 tempat · Umum: 6 tempat")
        _check_touch_targets(page)
        save_screenshot(page, "kiosk-poli-doctor-portrait.png")

        # The second doctor has JKN places only: choosing umum there is not offered.
        doctors.locator(".doctor", has_text="dr. Rina").click()
        payer = page.locator("#screen-payer")
        expect(payer.locator(".screen-title")).to_be_focused()
        expect(payer.locator("[data-payer='umum']")).to_have_attribute("aria-disabled", "true")
        expect(payer.locator("[data-payer='umum']")).to_contain_text("Penuh")
        page.locator("#nav-back").click()
        expect(doctors.locator(".screen-title")).to_be_focused()

        first.click()
        jkn = payer.locator("[data-payer='jkn']")
        expect(jkn).to_contain_text("Sisa 24 tempat")
        expect(jkn).to_contain_text("ke Pendaftaran Pasien JKN dahulu")
        _check_touch_targets(page)
        save_screenshot(page, "kiosk-poli-payer-portrait.png")
        jkn.click()

        expect(page.locator("#screen-priority .screen-title")).to_be_focused()
        expect(page.locator("#priority-service")).to_contain_text("dr. Uji, Sp.PD")
        page.locator("[data-priority='none']").click()
        expect(page.locator("#screen-ticket")).to_be_visible()
        expect(page.locator("#ticket-goto")).to_have_text("Silakan ke Pendaftaran Pasien JKN")
        expect(page.locator("#ticket-planned")).to_have_text(
            "Selanjutnya: Poli Penyakit Dalam · dr. Uji, Sp.PD 00.00–23.59"
        )
        assert re.fullmatch(r"[A-Z]+-\d{3}", page.locator("#ticket-number").inner_text())
        save_screenshot(page, "kiosk-poli-ticket-portrait.png")

        # One place fewer for JKN at that doctor, seen on the next citizen's doctor screen.
        page.locator("#ticket-done").click()
        page.locator(f".tile[data-agency='{rs['agency']}']").click()
        page.locator(".service-take", has_text="Poli Penyakit Dalam").click()
        expect(doctors.locator(".doctor", has_text="dr. Uji, Sp.PD")).to_contain_text(
            "JKN: 23 tempat"
        )
        assert problems == []
    finally:
        page.close()


def test_a_phone_books_a_doctors_session_with_its_payer(server, browser):
    """The booking page at 360×740: poli → day → doctor's session → payer → booked, and the
    confirmation names the doctor."""
    base, rs = server
    page = browser.new_page(viewport={"width": 360, "height": 740})
    problems = watch(page)
    try:
        page.goto(f"{base}/kiosk/booking/?site={rs['slug']}&lang=id")
        page.locator(".choice", has_text="Poli Penyakit Dalam").click(timeout=WAIT)
        page.locator(".choice").first.click()  # the first bookable day
        expect(page.locator("#hint")).to_have_text("Pilih dokter")
        session = page.locator(".choice", has_text="dr. Uji, Sp.PD")
        expect(session).to_contain_text(re.compile(r"JKN: \d+ · Umum: \d+ tempat tersisa"))
        save_screenshot(page, "booking-poli-doctor-phone.png")
        session.click()
        expect(page.locator("#hint")).to_have_text("Bagaimana Anda membayar?")
        page.locator(".choice", has_text="JKN / BPJS Kesehatan").click()
        expect(page.locator("#chosen")).to_contain_text("dr. Uji, Sp.PD")
        page.locator("#contact button[type=submit]").click()
        expect(page.locator("#code")).to_have_text(re.compile(r"^[A-Z0-9]{8}$"))
        facts = page.locator(".facts")
        expect(facts).to_contain_text("dr. Uji, Sp.PD")
        expect(facts).to_contain_text("JKN / BPJS Kesehatan")
        save_screenshot(page, "booking-poli-done-phone.png")
        assert problems == []
    finally:
        page.close()
