"""Real Chromium on a real server: home -> agency -> service -> priority -> ticket, both ways up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import WAIT, require_chromium, save_screenshot
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


def watch(page) -> list[str]:
    """Script errors, console errors and failed responses, collected from the page's first load
    on (attach before the first goto: a /favicon.ico 404 happens on that load)."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    return problems


def _take_ticket(page, base: str, name: str, problems: list[str], readme_shot: str) -> str:
    page.goto(base + "/kiosk/?ticket=60")  # the ticket stays while the test looks at it
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
    assert problems == []  # no CSP violation, no script error, nothing missing
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
    problems = watch(page)
    try:
        page.goto(base + "/kiosk/")
        page.locator(".tile").first.wait_for(timeout=WAIT)
        _check_touch_targets(page)
        number = _take_ticket(page, base, name, problems, shot)
        _check_touch_targets(page)
        # The countdown and "Selesai" are on the screen, above the nav bar, not in a scroll.
        expect(page.locator("#ticket-countdown")).to_have_text(re.compile(r"\d+ detik"))
        done = page.locator("#ticket-done").bounding_box()
        assert done["y"] + done["height"] <= page.locator(".kiosk-nav").bounding_box()["y"]
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


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (1920, 1080), (1280, 720)])
def test_check_in_keypad_keeps_its_button_and_the_error_in_their_boxes(
    server, browser, width, height
):
    """Eight of the widest characters leave "Check-in" on the screen; the error's button sits
    in the error's card."""
    from playwright.sync_api import expect

    base, _printer = server
    page = browser.new_page(viewport={"width": width, "height": height})
    problems = watch(page)
    try:
        page.goto(base + "/kiosk/")
        page.locator("#booking-entry").click()
        for key in "WWWWMMMM":
            page.locator(f'[data-key="{key}"]').click()
        expect(page.locator("#code-display")).to_have_text("WWWWMMMM")
        screen = {"x": 0, "y": 0, "width": width, "height": height}
        assert _inside(page.locator("#code-submit").bounding_box(), screen)
        code = page.locator("#code-display")
        assert code.evaluate("e => e.scrollWidth <= e.clientWidth"), "the code is cut"
        assert _inside(code.bounding_box(), screen)
        page.locator("#code-submit").click()  # no such booking: the error
        expect(page.locator("#notice")).to_be_visible()
        card = page.locator("#notice .notice-box").bounding_box()
        assert _inside(page.locator("#notice-close").bounding_box(), card)
        assert _inside(page.locator("#notice-text").bounding_box(), card)
        page.locator("#notice-close").click()
        expect(page.locator("#notice")).to_be_hidden()
        assert [p for p in problems if "404" not in p] == []  # the unknown code answers 404
    finally:
        page.close()
