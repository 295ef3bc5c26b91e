"""Real Chromium on a real server: home -> agency -> service -> priority -> ticket, both ways up."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.browser import ARGS, CHROMIUM
from tests.servers import free_port as _free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kiosk-browser")
    port = _free_port()
    printer = tmp / "printer.bin"
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": f"sqlite:///{tmp / 'antre.db'}",
        "ANTRE_DEMO": "1",
        "ANTRE_INSTANCE_PATH": str(tmp / "instance"),
        "ANTRE_PRINTER": f"file://{printer}",
        "ANTRE_RATE_LIMITS": "0",
    }
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/kiosk/", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.3)
    else:
        process.terminate()
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text())
    yield base, printer
    process.terminate()
    process.wait(10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


ARTIFACTS = ROOT / "tests" / "artifacts"


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


def _take_ticket(page, base: str, name: str, problems: list[str]) -> str:
    page.goto(base + "/kiosk/")
    page.locator(".tile").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{name}-home.png"))
    taps = 0
    page.locator(".tile", has_text="Dukcapil").click()
    taps += 1
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{name}-services.png"))
    page.locator(".service:not(.closed) .service-take").first.click()
    taps += 1
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{name}-priority.png"))
    page.locator("[data-priority='none']").click()
    taps += 1
    page.locator("#screen-ticket:not([hidden])").wait_for()
    number = page.locator("#ticket-number").inner_text()
    assert re.fullmatch(r"[A-Z]+-\d{3}", number)
    assert taps == 3
    qr = page.locator("#ticket-qr")
    deadline = time.monotonic() + 5
    while not qr.evaluate("img => img.complete && img.naturalWidth > 0"):
        assert time.monotonic() < deadline, "the QR image did not load"
        time.sleep(0.1)
    assert page.locator("#ticket-print").is_hidden()  # printed: no warning
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
        page.locator(".tile").first.wait_for()
        _check_touch_targets(page)
        number = _take_ticket(page, base, name, problems)
        _check_touch_targets(page)
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        if shot == "ticket":
            page.screenshot(path=str(out / f"kiosk-{name}.png"))
        else:  # the README shows the home screen upright and the ticket sideways
            shutil.copy(ARTIFACTS / f"kiosk-{name}-home.png", out / f"kiosk-{name}.png")
        assert number.encode() in printer.read_bytes()  # the file printer got this ticket
        page.locator("#nav-home").click()
        assert page.locator("#screen-home").is_visible()
    finally:
        page.close()


def test_english_and_requirements(server, browser):
    base, _printer = server
    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    try:
        page.goto(base + "/kiosk/")
        page.locator("#kiosk-lang").click()
        page.locator(".tile").first.wait_for()
        assert page.locator(".screen-title").first.inner_text() == "Choose an agency"
        page.locator(".tile", has_text="Imigrasi").click()
        page.locator(".service-info").first.click()
        assert page.locator("#standard").is_visible()
        assert page.locator("#standard-requirements").inner_text().strip()
        page.locator("#standard-close").click()
        page.locator("#nav-back").click()
        assert page.locator("#screen-home").is_visible()
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
