"""The ticket page on a 360x740 phone (Chromium, Playwright) against a real server: the "your
turn" alert follows the ticket's state, one tap unlocks sound and vibration, the call chimes, and
"notify me" is offered only where a Notification can work."""

from __future__ import annotations

import os
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shared import events, queue
from shared.models import Counter, Service, Ticket
from tests.display.live import ROOT, Server, act
from tests.sites import in_demo_mall

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REDIS = os.environ.get("ANTRE_TEST_REDIS_URL")
WAIT = 10_000
ARTIFACTS = ROOT / "tests" / "artifacts"
COUNTER = 1  # Dukcapil, Loket 1
# Counts the vibrations the page asks for, then lets the browser do them.
SPY_VIBRATE = """
(() => {
  const real = navigator.vibrate ? navigator.vibrate.bind(navigator) : null;
  navigator.vibrate = (pattern) => {
    const root = document.documentElement;
    root.dataset.vibrations = String(Number(root.dataset.vibrations || 0) + 1);
    return real ? real(pattern) : true;
  };
})();
"""
# What Android's Chrome does without a service worker (it cannot be run here).
ANDROID_NOTIFICATION = """
(() => {
  function Notification() { throw new TypeError("Failed to construct 'Notification': Illegal "
    + "constructor. Use ServiceWorkerRegistration.showNotification() instead."); }
  Notification.permission = 'default';
  Notification.requestPermission = () => Promise.resolve('default');
  window.Notification = Notification;
})();
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not REDIS:
        pytest.skip("ANTRE_TEST_REDIS_URL not set: the test's actions cannot reach the server")
    extra = {"ANTRE_MESSAGE_QUEUE": REDIS, "ANTRE_SOCKETIO_CHANNEL": f"t-{uuid.uuid4().hex[:8]}"}
    running = Server(tmp_path_factory.mktemp("ticket-alerts"), env_extra=extra).start()
    yield running
    running.stop()


def clerk(server, what):
    """Run ``what(session, counter)`` as the clerk at Loket 1, published to the server's phones."""
    from flask_socketio import SocketIO

    channel = server.env_extra["ANTRE_SOCKETIO_CHANNEL"]
    publisher = events.SocketIOPublisher(SocketIO(message_queue=REDIS, channel=channel))

    def run(session):
        demo = select(Counter).where(in_demo_mall(Counter.site_id), Counter.number == COUNTER)
        counter = session.execute(demo).scalar_one()
        return what(session, counter)

    return act(server.db_url, run, publisher)


def free_counter(session, counter):
    active = queue.active_ticket(session, counter)
    if active is not None:
        if active.status == "called":
            queue.start_ticket(session, active)
        queue.finish_ticket(session, active)


def new_ticket(server) -> dict:
    def issue(session, counter):
        ticket = queue.issue_ticket(session, counter.services[0].id)
        return {"id": ticket.id, "code": ticket.code, "number": ticket.display_number}

    return clerk(server, issue)


def call(server, ticket_id: int) -> None:
    def run(session, counter):
        free_counter(session, counter)
        queue.call_ticket(session, counter, session.get(Ticket, ticket_id))

    clerk(server, run)


def open_phone(browser, server, code: str, *init_scripts: str):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    for script in (SPY_VIBRATE, *init_scripts):
        context.add_init_script(script)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base}/t/{code}")
    expect(page.locator("#tk-link")).to_have_text("Terhubung", timeout=WAIT)
    return page, errors


def tap_sound_on(page) -> None:
    expect(page.locator("#tk-sound")).to_be_visible()
    expect(page.locator("#tk-sound-on")).to_contain_text("Aktifkan suara & getar")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ticket-phone-sound-on.png"))
    page.locator("#tk-sound-on").tap()
    expect(page.locator("#tk-sound")).to_be_hidden()
    expect(page.locator("#ticket")).to_have_attribute("data-sound", "ready", timeout=WAIT)


def called_alert_shows(page, root) -> None:
    expect(page.locator("#tk-alert")).to_be_visible(timeout=WAIT)
    expect(page.locator("#tk-alert-text")).to_contain_text("Loket 1")


def test_the_call_chimes_and_vibrates_then_finished_ends_the_alert(browser, server):
    ticket = new_ticket(server)
    page, errors = open_phone(browser, server, ticket["code"])
    root = page.locator("#ticket")
    tap_sound_on(page)
    call(server, ticket["id"])
    called_alert_shows(page, root)
    # The chime really went through Web Audio: its source ended in a running context.
    expect(root).to_have_attribute("data-chime", "running")
    expect(root).to_have_attribute("data-chimes-played", "1", timeout=WAIT)
    expect(page.locator("html")).to_have_attribute("data-vibrations", "1")

    def serve(session, counter):
        active = queue.active_ticket(session, counter)
        queue.start_ticket(session, active)
        queue.finish_ticket(session, active)

    clerk(server, serve)
    expect(page.locator("#tk-status")).to_have_text("Selesai", timeout=WAIT)
    expect(page.locator("#tk-alert")).to_be_hidden()
    expect(page.locator("#tk-counter")).to_be_hidden()
    expect(page.locator("#tk-notify")).to_be_hidden()  # nothing left to be told about
    page.reload()
    expect(page.locator("#tk-status")).to_have_text("Selesai", timeout=WAIT)
    expect(page.locator("#tk-alert")).to_be_hidden()
    expect(page.locator("#tk-sound")).to_be_hidden()  # a finished ticket needs no sound
    expect(page.locator("#tk-notify")).to_be_hidden()
    assert errors == []


def test_opened_while_called_the_tap_rings_at_once(browser, server):
    ticket = new_ticket(server)
    call(server, ticket["id"])
    page, errors = open_phone(browser, server, ticket["code"])
    root = page.locator("#ticket")
    assert root.get_attribute("data-chimes-played") is None
    tap_sound_on(page)  # the overlay is above the alert: one tap, then the alert and the chime
    called_alert_shows(page, root)
    expect(root).to_have_attribute("data-chimes-played", "1", timeout=WAIT)
    assert errors == []


def test_called_then_transferred_shows_the_new_ticket_never_the_old_counter(browser, server):
    ticket = new_ticket(server)
    page, errors = open_phone(browser, server, ticket["code"])
    tap_sound_on(page)
    call(server, ticket["id"])
    called_alert_shows(page, page.locator("#ticket"))

    def transfer(session, counter):
        active = session.get(Ticket, ticket["id"])
        queue.start_ticket(session, active)
        target = session.execute(select(Service).where(Service.prefix == "J")).scalar_one()
        return queue.transfer_ticket(session, active, target.id).display_number

    new_number = clerk(server, transfer)
    for attempt in ("live", "reload"):
        expect(page.locator("#tk-number")).to_have_text(new_number, timeout=WAIT)
        expect(page.locator("#tk-status")).to_have_text("Menunggu")
        expect(page.locator("#tk-from-number")).to_have_text(ticket["number"])
        expect(page.locator("#tk-alert")).to_be_hidden()
        expect(page.locator("#tk-counter")).to_be_hidden()
        expect(page.locator("#tk-wait")).to_be_visible()
        assert "Loket 1" not in page.inner_text("body"), attempt
        if attempt == "live":
            page.reload()
    assert errors == []


def test_called_then_no_show_ends_the_alert(browser, server):
    ticket = new_ticket(server)
    page, errors = open_phone(browser, server, ticket["code"])
    tap_sound_on(page)
    call(server, ticket["id"])
    called_alert_shows(page, page.locator("#ticket"))

    def missed(session, counter):
        active = session.get(Ticket, ticket["id"])
        while active.recall_count < active.service.recall_limit:
            queue.recall_ticket(session, active)
        queue.mark_no_show(session, active)

    clerk(server, missed)
    expect(page.locator("#tk-status")).to_have_text("Tidak hadir", timeout=WAIT)
    expect(page.locator("#tk-alert")).to_be_hidden()
    expect(page.locator("#tk-counter")).to_be_hidden()
    page.reload()
    expect(page.locator("#tk-status")).to_have_text("Tidak hadir")
    expect(page.locator("#tk-alert")).to_be_hidden()
    assert errors == []


def test_notify_me_only_where_a_notification_can_work(browser, server):
    ticket = new_ticket(server)
    android, errors = open_phone(browser, server, ticket["code"], ANDROID_NOTIFICATION)
    expect(android.locator("#tk-status")).to_have_text("Menunggu")
    expect(android.locator("#tk-notify")).to_be_hidden()
    assert errors == []


def test_priority_and_booking_are_shown_with_the_number(browser, server):
    """A lansia ticket: the kiosk's ticket screen, the phone, the TV's latest call and its list
    of calls, and the clerk's console all say "Lansia (60+)"; a booking says "Booking"."""
    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    kiosk.goto(f"{server.base}/kiosk/")
    kiosk.locator(".tile", has_text="Dukcapil").click()
    kiosk.locator(".service:not(.closed) .service-take").first.click()
    with kiosk.expect_response(lambda r: r.url.endswith("/kiosk/api/tickets")) as answer:
        kiosk.locator("[data-priority='lansia']").click()
    taken = answer.value.json()["ticket"]
    expect(kiosk.locator("#ticket-number")).to_have_text(taken["number"])
    expect(kiosk.locator("#ticket-tag")).to_have_text("Lansia (60+)")
    kiosk.close()

    def booked_lansia(session, counter):
        ticket = queue.issue_ticket(
            session, counter.services[0].id, priority="lansia", source="booking"
        )
        return {"id": ticket.id, "code": ticket.code, "number": ticket.display_number}

    booked = clerk(server, booked_lansia)
    phone, errors = open_phone(browser, server, booked["code"])
    expect(phone.locator("#tk-tag")).to_have_text("Lansia (60+) · Booking")

    console = browser.new_page(viewport={"width": 1366, "height": 800})
    console.goto(f"{server.base}/counter/login")
    console.fill("input[name=username]", "dukcapil1")
    console.fill("input[name=password]", "antre123")
    console.click("button[type=submit]")
    console.click(f"button.pick[data-counter='{COUNTER}']")
    row = console.locator(f"#waiting tr[data-ticket='{booked['id']}']")
    expect(row).to_contain_text(f"{booked['number']} ★ Lansia (60+) · Booking", timeout=WAIT)

    tv = browser.new_page(viewport={"width": 1366, "height": 768})
    tv.goto(f"{server.base}/display/zone/1")
    tv.click("#sound-on")
    tv.wait_for_selector("[data-live=true]", timeout=WAIT)  # joined its rooms
    call(server, booked["id"])
    expect(tv.locator("#hero-number")).to_have_text(booked["number"], timeout=WAIT)
    expect(tv.locator("#hero-tag")).to_have_text("Lansia (60+) · Booking")
    expect(console.locator("#current-priority")).to_have_text("Lansia (60+) · Booking")
    taken_id = clerk(
        server,
        lambda s, _: s.execute(select(Ticket.id).where(Ticket.code == taken["code"])).scalar(),
    )
    call(server, taken_id)  # the kiosk's lansia ticket; the booking moves to the list
    expect(tv.locator("#hero-number")).to_have_text(taken["number"], timeout=WAIT)
    expect(tv.locator("#hero-tag")).to_have_text("Lansia (60+)")
    expect(tv.locator("#recent li", has_text=booked["number"])).to_contain_text(
        "Lansia (60+) · Booking"
    )
    assert tv.evaluate("document.documentElement.scrollHeight") <= 768
    tv.screenshot(path=str(ARTIFACTS / "display-priority-call.png"))
    phone.screenshot(path=str(ARTIFACTS / "ticket-phone-priority.png"))
    assert errors == []
    for page in (phone, console, tv):
        page.close()


def test_behind_the_head_the_page_moves_itself_then_shows_its_exact_place(browser, server):
    """12 ahead: the phone hears only the first 10 places and a count of calls. One call and it
    says 11 by itself; three calls and its exact place, 9, comes with the head."""

    def alone_with_twelve_ahead(session, counter):
        service_id = counter.services[0].id
        waiting = select(Ticket).where(Ticket.service_id == service_id, Ticket.status == "waiting")
        for earlier in session.execute(waiting).scalars():
            queue.cancel_ticket(session, earlier)
        tickets = [queue.issue_ticket(session, service_id) for _ in range(13)]
        return tickets[-1].code

    def call_next(session, counter):
        free_counter(session, counter)
        queue.call_next(session, counter)

    code = clerk(server, alone_with_twelve_ahead)
    page, errors = open_phone(browser, server, code)
    expect(page.locator("#tk-ahead")).to_have_text("12")
    clerk(server, call_next)
    expect(page.locator("#tk-ahead")).to_have_text("11", timeout=WAIT)
    expect(page.locator("#tk-eta")).not_to_be_empty()
    clerk(server, call_next)
    clerk(server, call_next)
    expect(page.locator("#tk-ahead")).to_have_text("9", timeout=WAIT)
    assert errors == []
