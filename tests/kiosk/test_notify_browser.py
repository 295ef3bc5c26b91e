"""After the ticket at a 1080x1920 kiosk (Chromium, real server): "Kirim pemberitahuan ke
WhatsApp" with the on-screen keypad and the consent line; the ticket is shown (and printed)
first, the ticket screen's countdown waits while the number is typed, and the kiosk's idle
question still starts over when the citizen walks away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shared.db import make_engine, make_session_factory
from shared.models import AlertSubscription
from tests.browser import WAIT, require_chromium, save_screenshot
from tests.kiosk.test_browser import watch
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("kiosk-notify")
    db_url = f"sqlite:///{tmp / 'antre.db'}"
    with running_server(
        db_url,
        log_path=tmp / "server.log",
        ANTRE_INSTANCE_PATH=str(tmp / "instance"),
        ANTRE_PRINTER=f"file://{tmp / 'printer.bin'}",
    ) as (base, _process):
        yield base, db_url


def _ticket(page, base: str, query: str) -> str:
    page.goto(base + "/kiosk/" + query)
    page.locator(".tile", has_text="Dukcapil").click()
    page.locator(".service:not(.closed) .service-take").first.click()
    page.locator("[data-priority='none']").click()
    page.locator("#screen-ticket:not([hidden])").wait_for(timeout=WAIT)
    expect(page.locator("#ticket-print")).to_be_hidden()  # printed before anything is offered
    return page.locator("#ticket-number").inner_text()


def _phones(db_url: str) -> list[str]:
    with make_session_factory(make_engine(db_url))() as session:
        rows = session.execute(select(AlertSubscription.phone)).scalars().all()
        session.rollback()
        return list(rows)


def test_whatsapp_after_the_ticket(server, browser):
    base, db_url = server
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    problems = watch(page)
    _ticket(page, base, "?ticket=5")
    offer = page.locator("#ticket-notify")
    expect(offer).to_have_text("Kirim pemberitahuan ke WhatsApp")
    offer.click()
    dialog = page.locator("#notify")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Nomor Anda hanya dipakai untuk pemberitahuan antrean ini dan dihapus setelahnya."
    )
    expect(page.locator("#notify-phone")).to_have_text("08")
    expect(page.locator("#notify-send")).to_be_disabled()
    for digit in "1234567890":
        page.locator(f"#notify [data-digit='{digit}']").click()
    expect(page.locator("#notify-phone")).to_have_text("0812 3456 7890")
    sizes = page.evaluate(
        "() => Array.from(document.querySelectorAll('#notify button'))"
        ".map(b => Math.min(b.getBoundingClientRect().width, b.getBoundingClientRect().height))"
    )
    assert min(sizes) >= 64, sizes
    save_screenshot(page, "kiosk-notify-keypad.png")
    # Still the ticket screen (its 5 s countdown is stopped while the dialog is open).
    expect(page.locator("#screen-ticket")).to_be_visible()
    page.locator("#notify-send").click()
    expect(dialog).to_be_hidden(timeout=WAIT)
    expect(page.locator("#ticket-notified")).to_have_text(
        "Pemberitahuan WhatsApp ke +62 ••• •••• 7890"
    )
    expect(offer).to_be_hidden()
    expect(page.locator("#ticket-done")).to_be_focused()
    save_screenshot(page, "kiosk-notify-done.png")
    assert _phones(db_url) == ["+6281234567890"]
    # The countdown runs again and the kiosk goes home.
    expect(page.locator("#screen-home")).to_be_visible(timeout=WAIT)
    assert problems == []
    page.close()


def test_a_bad_number_and_walking_away(server, browser):
    base, db_url = server
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    problems = watch(page)
    _ticket(page, base, "?ticket=60&idle=1&warn=1")
    before = _phones(db_url)
    page.locator("#ticket-notify").click()
    page.locator("#notify-clear").click()
    for digit in "1234567890":
        page.locator(f"#notify [data-digit='{digit}']").click()
    page.locator("#notify-send").click()
    expect(page.locator("#notify-error")).to_contain_text("0812 3456 7890", timeout=WAIT)
    # Nobody touches the kiosk: the idle question comes over the dialog, then home.
    expect(page.locator("#more-time")).to_be_visible(timeout=WAIT)
    expect(page.locator("#screen-home")).to_be_visible(timeout=WAIT)
    expect(page.locator("#notify")).to_be_hidden()
    assert _phones(db_url) == before
    assert [p for p in problems if "422" not in p] == []
    page.close()
