"""Real Chromium on a real server: home -> agency -> service -> priority -> ticket, both ways up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import WAIT, launch, require_chromium, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("kiosk-browser")
    printer = tmp / "printer.bin"
    with running_server(
        f"sqlite:///{tmp / 'antre.db'}",
        log_path=tmp / "server.log",
        ANTRE_INSTANCE_PATH=str(tmp / "instance"),
        ANTRE_PRINTER=f"file://{printer}",
    ) as (base, _process):
        yield base, printer


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def _take_ticket(page, base: str, name: str, readme_shot: str) -> str:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(base + "/kiosk/")
    page.locator(".tile").first.wait_for(timeout=WAIT)
    save_screenshot(page, f"kiosk-{name}-home.png")
    if readme_shot == "home":  # the README shows the home screen upright
        save_screenshot(page, f"kiosk-{name}.png")
    taps = 0
    page.locator(".tile", has_text="Dukcapil").click()
    taps += 1
    save_screenshot(page, f"kiosk-{name}-services.png")
    page.locator(".service:not(.closed) .service-take").first.click()
    taps += 1
    save_screenshot(page, f"kiosk-{name}-priority.png")
    page.locator("[data-priority='none']").click()
    taps += 1
    page.locator("#screen-ticket:not([hidden])").wait_for(timeout=WAIT)
    number = page.locator("#ticket-number").inner_text()
    assert re.fullmatch(r"[A-Z]+-\d{3}", number)
    assert taps == 3
    qr = page.locator("#ticket-qr")
    expect(qr).to_have_js_property("complete", True, timeout=WAIT)
    expect(qr).not_to_have_js_property("naturalWidth", 0)  # loaded, not a broken image
    expect(page.locator("#ticket-print")).to_be_hidden()  # printed: no warning
    assert problems == []  # no CSP violation, no script error
    return number


def _check_touch_targets(page) -> None:
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('button, a'))
            .filter(e => e.offsetParent !== null)
            .map(e => [e.id || e.className, e.getBoundingClientRect().height,
                       e.getBoundingClientRect().width])"""
    )
    small = [s for s in sizes if s[1] < 64 or s[2] < 64]
    assert small == [], small


@pytest.mark.parametrize(
    ("name", "width", "height", "shot"),
    [("portrait", 1080, 1920, "home"), ("landscape", 1920, 1080, "ticket")],
)
def test_take_a_ticket(server, browser, name, width, height, shot):
    base, printer = server
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(base + "/kiosk/")
        page.locator(".tile").first.wait_for(timeout=WAIT)
        _check_touch_targets(page)
        number = _take_ticket(page, base, name, shot)
        _check_touch_targets(page)
        if shot == "ticket":  # ... and the ticket sideways
            save_screenshot(page, f"kiosk-{name}.png")
        assert number.encode() in printer.read_bytes()  # the file printer got this ticket
        page.locator("#nav-home").click()
        expect(page.locator("#screen-home")).to_be_visible()
    finally:
        page.close()


def test_english_and_requirements(server, browser):
    base, _printer = server
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    try:
        page.goto(base + "/kiosk/")
        page.locator("#kiosk-lang").click()
        expect(page.locator(".screen-title").first).to_have_text("Choose an agency", timeout=WAIT)
        page.locator(".tile", has_text="Imigrasi").click()
        page.locator(".service-info").first.click()
        expect(page.locator("#standard")).to_be_visible()
        expect(page.locator("#standard-requirements")).not_to_have_text(re.compile(r"^\s*$"))
        page.locator("#standard-close").click()
        page.locator("#nav-back").click()
        expect(page.locator("#screen-home")).to_be_visible()
    finally:
        page.close()
