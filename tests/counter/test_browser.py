"""Chromium through Playwright against a real server process: the clerk's day in one flow.

sign in → pick a counter → call next (F1) → start → finish → call next → transfer; then the
supervisor's dashboard. Screenshots for the README: tests.browser.save_screenshot.
"""

from __future__ import annotations

import pytest

from tests.browser import WAIT, console_action, require_chromium, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'antre.db'}"
    with running_server(
        url, log_path=folder / "server.log", ANTRE_INSTANCE_PATH=str(folder / "instance")
    ) as (base, _process):
        yield base, url


def issue_tickets(database_url: str) -> None:
    """Citizens take tickets at the kiosk (through the domain, as the kiosk app does)."""
    from sqlalchemy import select

    from shared import queue
    from shared.db import make_engine, make_session_factory
    from shared.models import Service

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        ktp = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        kk = session.execute(select(Service).where(Service.code == "KK")).scalar_one()
        for service, priority in ((ktp, "none"), (kk, "none"), (ktp, "lansia"), (ktp, "none")):
            queue.issue_ticket(session, service.id, priority=priority, check_availability=False)
        session.commit()
    engine.dispose()


def sign_in(page, base, username):
    page.goto(f"{base}/counter/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "antre123")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/counter/login" not in url, timeout=WAIT)


def test_clerk_calls_finishes_and_transfers(server, browser):
    from playwright.sync_api import expect

    base, database_url = server
    issue_tickets(database_url)
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, base, "dukcapil1")
    page.click("button.pick[data-counter='1']")
    page.wait_for_selector("#connection.online", timeout=WAIT)
    expect(page.locator("#waiting tr[data-ticket]")).to_have_count(4, timeout=WAIT)
    listed = page.inner_text("#waiting")
    priority = page.inner_text("#waiting tr.priority-row")  # the one "lansia" ticket

    console_action(page, "call-next", "F1")  # call next, by its shortcut
    expect(page.locator("#waiting tr[data-ticket]")).to_have_count(3, timeout=WAIT)
    first = page.inner_text("#current-number")
    assert first in listed and first not in page.inner_text("#waiting")
    # The priority badge only for a priority ticket (`hidden` wins over `.priority`'s display).
    badge = page.locator("#current-priority")
    expect(badge).to_be_visible() if first in priority else expect(badge).to_be_hidden()
    console_action(page, "start")
    expect(page.locator("#current-status")).to_contain_text("dilayani", timeout=WAIT)
    page.fill("#note", "KTP-el tercetak")
    console_action(page, "finish")
    expect(page.locator("#current-empty")).to_be_visible(timeout=WAIT)
    expect(page.locator("#served tr[data-ticket]")).to_have_count(1, timeout=WAIT)

    console_action(page, "call-next")
    expect(page.locator("#waiting tr[data-ticket]")).to_have_count(2, timeout=WAIT)
    second = page.inner_text("#current-number")
    assert second != first
    expect(badge).to_be_visible() if second in priority else expect(badge).to_be_hidden()
    save_screenshot(page, "counter-console.png")
    console_action(page, "start", "s")
    console_action(page, "transfer", "t")
    page.wait_for_selector("#transfer-dialog[open]", timeout=WAIT)
    page.select_option("#transfer-service", label="BPJS Kes · " + _bpjs_label(page))
    page.fill("#transfer-note", "Daftar BPJS bayi")
    page.click("#transfer-dialog button[value=ok]")
    expect(page.locator("#current-empty")).to_be_visible(timeout=WAIT)
    expect(page.locator("#served tr[data-ticket]")).to_have_count(2, timeout=WAIT)
    expect(page.locator("#served")).to_contain_text("Dialihkan")
    # Nothing missing, not even the /favicon.ico the browser asks for on its own.
    assert missing == []
    assert errors == []


def test_console_shows_a_dozen_waiting_rows_at_1366x768(server, browser):
    """A clerk's office screen: at least 12 waiting tickets without scrolling, one line each."""
    from playwright.sync_api import expect

    base, database_url = server
    for _ in range(4):
        issue_tickets(database_url)  # 16 more tickets
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, base, "dukcapil1")
    page.click("button.pick[data-counter='1']")  # serves both services of the tickets
    rows = page.locator("#waiting tr[data-ticket]")
    expect(rows.nth(15)).to_be_attached()
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('#waiting tr[data-ticket]'))
            .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight)
            .map(r => r.getBoundingClientRect().height)"""
    )
    assert len(shown) >= 12, shown
    assert max(shown) < 48, shown  # one line per ticket
    save_screenshot(page, "counter-console-1366x768.png")
    page.close()


def _bpjs_label(page) -> str:
    labels = page.eval_on_selector_all("#transfer-service option", "os => os.map(o => o.label)")
    bpjs = [label for label in labels if label.startswith("BPJS Kes · ")]
    return bpjs[0].split(" · ", 1)[1]


def test_supervisor_dashboard(server, browser):
    base, _ = server
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    sign_in(page, base, "spv.dukcapil")
    page.wait_for_selector(".agency .tile-value", timeout=WAIT)
    text = page.inner_text("#agencies")
    assert "Dukcapil" in text and "Samsat" not in text
    save_screenshot(page, "counter-dashboard.png")


def _take_at_kiosk(kiosk, service_code: str, priority: str) -> str:
    """A citizen's tap at the (demo) kiosk, over HTTP, so the server publishes it live."""
    return kiosk.evaluate(
        """async ([code, priority]) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const headers = {"Accept": "application/json"};
            const list = await (await fetch("/kiosk/api/services", {headers})).json();
            const service = list.services.find(s => s.code === code);
            const answer = await fetch("/kiosk/api/tickets", {
                method: "POST",
                headers: {...headers, "Content-Type": "application/json", "X-CSRFToken": csrf},
                body: JSON.stringify({service_id: service.id, priority: priority,
                                      idempotency_key: crypto.randomUUID()}),
            });
            return (await answer.json()).ticket.number;
        }""",
        [service_code, priority],
    )


def test_live_waiting_list_follows_call_next_order(server, browser):
    """A priority ticket that arrives live takes the place call next gives it, not the end of
    the list (the console used to sort new arrivals by their queue time alone)."""
    from playwright.sync_api import expect

    base, _database_url = server
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    sign_in(page, base, "dukcapil2")
    page.click("button.pick[data-counter='2']")
    page.wait_for_selector("#connection.online", timeout=WAIT)
    kiosk = browser.new_page()
    kiosk.goto(f"{base}/kiosk/")
    before = page.locator("#waiting tr[data-ticket]").count()
    taken = [_take_at_kiosk(kiosk, "KTP", "none") for _ in range(2)]
    taken.append(_take_at_kiosk(kiosk, "KTP", "lansia"))
    rows = page.locator("#waiting tr[data-ticket] td:nth-child(2)")
    expect(rows).to_have_count(before + 3, timeout=WAIT)
    snapshot = page.request.get(f"{base}/counter/api/counters/2").json()
    order = [t["number"] for t in snapshot["waiting"]]
    assert set(taken) <= set(order)
    assert order.index(taken[2]) < order.index(taken[1])  # the lansia ticket goes before
    expect(rows).to_contain_text(order, timeout=WAIT)
    kiosk.close()
    page.close()
