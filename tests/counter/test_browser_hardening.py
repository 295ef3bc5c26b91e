"""Chromium against a real server: what issue 13's admin and staff fixes look like on screen.

A reprint on a switched-off printer says what to check, with the driver's words folded behind it;
a new kiosk's link is copied by its button; an uploaded logo reaches the lobby TV.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.browser import CHROMIUM
from tests.kiosk.printers import closed_port
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    folder = tmp_path_factory.mktemp("hardening")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": f"sqlite:///{folder / 'antre.db'}",
        "ANTRE_DEMO": "1",
        "ANTRE_INSTANCE_PATH": str(folder / "instance"),
        "ANTRE_RATE_LIMITS": "0",
        "ANTRE_PUBLIC_URL": base,
        "ANTRE_PRINTER": f"tcp://127.0.0.1:{closed_port()}",  # switched off
        "ANTRE_PRINTER_TIMEOUT": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "run.py", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/counter/login", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("the server did not start")
        yield base, env["ANTRE_DATABASE_URL"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def sign_in(page, base, username):
    page.goto(f"{base}/counter/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "antre123")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def failed_print(database_url: str) -> None:
    """A KTP ticket whose printing failed at the kiosk."""
    from sqlalchemy import select

    from shared import queue
    from shared.db import make_engine, make_session_factory
    from shared.models import Service

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        ktp = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        ticket = queue.issue_ticket(session, ktp.id, check_availability=False)
        ticket.print_state = "failed"
        session.commit()
    engine.dispose()


def test_a_failed_reprint_is_said_in_indonesian_with_the_detail_folded(server, browser):
    from playwright.sync_api import expect

    base, database_url = server
    failed_print(database_url)
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    sign_in(page, base, "dukcapil1")
    page.click("button.pick[data-counter='1']")
    page.wait_for_selector("#connection.online")
    page.locator("#failed button").first.click()
    message = page.locator("#message")
    expect(message).to_contain_text("Tiket tidak dapat dicetak. Printer tidak dapat dihubungi")
    expect(message.locator("details summary")).to_have_text("Detail teknis")
    detail = message.locator("details code")
    expect(detail).to_be_hidden()  # folded until asked for
    message.locator("details summary").click()
    expect(detail).to_contain_text("cannot reach the printer")
    assert "Errno" not in message.evaluate("m => m.firstChild.textContent")


def test_the_kiosk_link_is_copied_by_its_button(server, browser):
    from playwright.sync_api import expect

    base, _ = server
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in(page, base, "admin")
    page.goto(f"{base}/counter/admin/kiosks/new")
    page.fill("input[name=name]", "Kiosk Lantai 2")
    page.click("form.admin-form button[type=submit]")
    link = page.locator("#kiosk-link")
    token = page.inner_text("#kiosk-token")
    expect(link).to_have_value(f"{base}/kiosk/?token={token}")
    button = page.locator("button[data-copy=kiosk-link]")
    expect(button).to_have_text("Salin tautan")
    button.click()
    expect(button).to_have_text("Tersalin")
    assert page.evaluate("navigator.clipboard.readText()") == f"{base}/kiosk/?token={token}"
    # The link registers a fresh browser as that kiosk.
    kiosk = browser.new_page()
    kiosk.goto(page.evaluate("navigator.clipboard.readText()"))
    expect(kiosk).to_have_url(f"{base}/kiosk/")
    context.close()


def test_an_uploaded_logo_reaches_the_tv(server, browser):
    from playwright.sync_api import expect

    base, _ = server
    page = browser.new_page()
    sign_in(page, base, "admin")
    page.goto(f"{base}/counter/admin/mall/")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(buffer, "PNG")
    page.set_input_files(
        "input[type=file][name=file]",
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": buffer.getvalue()}],
    )
    page.locator("input[type=file][name=file]").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("img.admin-logo")).to_be_visible()
    tv = browser.new_page(viewport={"width": 1920, "height": 1080})
    tv.goto(f"{base}/display/zone/1")
    logo = tv.locator("#mall-logo")
    expect(logo).to_be_visible()
    tv.wait_for_function("document.getElementById('mall-logo').naturalWidth === 120")
