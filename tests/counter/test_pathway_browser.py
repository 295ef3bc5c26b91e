"""Chromium: the clerks of a test hospital finish steps with the keyboard, through the dialog.

Registration sends the patient to the poli chosen at the kiosk (its doctor's places shown), the
poli says "no prescription" with one key and the visit goes straight to the cashier.
"""

from __future__ import annotations

import pytest

from tests.browser import WAIT, console_action, require_chromium, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("pathway-browser")
    url = f"sqlite:///{folder / 'antre.db'}"
    with running_server(
        url, log_path=folder / "server.log", ANTRE_INSTANCE_PATH=str(folder / "instance")
    ) as (base, _process):
        yield base, url


def build(database_url: str) -> dict:
    """The test hospital in the server's database, two clerks, and one umum patient for the
    poli, queued first at registration (as the kiosk does)."""
    from sqlalchemy import select

    from shared import queue
    from shared.db import make_engine, make_session_factory
    from shared.models import Counter, StaffUser
    from tests.factories import Factory
    from tests.hospital import build_hospital

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        make = Factory(session)
        rs = build_hospital(make)
        rs.poli.name, rs.cashier.name = "Poli Anak", "Kasir"
        make.user(StaffUser.CLERK, rs.reg_umum.agency, username="rs.daftar")
        make.user(StaffUser.CLERK, rs.poli.agency, username="rs.poli")
        queue.issue_ticket(session, rs.poli.id, payer="umum", check_availability=False)

        def room(service):
            stmt = select(Counter).where(Counter.services.contains(service))
            return session.execute(stmt).scalars().first().id

        rooms = {"registration": room(rs.reg_umum), "poli": room(rs.poli)}
        session.commit()
    engine.dispose()
    return rooms


def sign_in(page, base, username):
    page.goto(f"{base}/counter/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "loket-jeruk-42")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/counter/login" not in url, timeout=WAIT)


def serve_next(page, base, counter_id):
    from playwright.sync_api import expect

    page.goto(f"{base}/counter/console/{counter_id}")
    page.wait_for_selector("#connection.online", timeout=WAIT)
    expect(page.locator("#waiting tr[data-ticket]")).to_have_count(1)
    console_action(page, "call-next", "F1")
    console_action(page, "start", "s")
    expect(page.locator("#current-status")).to_contain_text("dilayani")


def test_registration_and_poli_finish_through_the_dialog(server, browser):
    from playwright.sync_api import expect

    base, database_url = server
    rooms = build(database_url)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "rs.daftar")
    serve_next(page, base, rooms["registration"])
    # The button names the default next step, once the console knows it.
    expect(page.locator("#finish-label")).to_have_text("Selesai → Poli Anak")

    console_action(page, "finish", "f")
    dialog = page.locator("#finish-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#finish-prescription")).to_be_hidden()  # not a poli step
    checked = page.locator('#finish-options input[name="finish-next"]:checked')
    expect(checked).to_have_count(1)
    expect(page.locator("#finish-options label:has(input:checked)")).to_contain_text("Poli Anak")
    expect(page.locator("#finish-doctor-box")).to_be_visible()
    expect(page.locator("#finish-doctor option:checked")).to_contain_text("dr. Uji, Sp.PD")
    expect(page.locator("#finish-doctor option:checked")).to_contain_text("sisa 6 kuota")
    expect(page.locator("#finish-ok")).to_be_focused()
    save_screenshot(page, "console-finish-dialog-1366x768.png")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#message")).to_contain_text("lanjut ke Poli Anak")
    expect(page.locator("#current-empty")).to_be_visible()

    context.close()
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "rs.poli")
    serve_next(page, base, rooms["poli"])
    console_action(page, "finish", "f")
    dialog = page.locator("#finish-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#finish-prescription")).to_be_visible()  # the poli decides
    page.keyboard.press("t")  # tanpa resep: pharmacy is skipped, the cashier is next
    expect(page.locator("#finish-ok")).to_have_text("Selesai → Kasir")
    save_screenshot(page, "console-finish-poli-1366x768.png")
    page.keyboard.press("Enter")
    expect(page.locator("#message")).to_contain_text("lanjut ke Kasir")
    save_screenshot(page, "console-after-finish-1366x768.png")
    assert not errors
    context.close()
