"""A hospital visit, live (Chromium, Playwright, a real server, events through Redis): the phone
(360x740) shows the whole path and follows the visit from registration to the poli without a
reload; the TV (1366x768) calls the poli's ticket to "Poli …, Ruang 3" and asks the server to say
so. Every wait is for a state, never for time."""

from __future__ import annotations

import os
import uuid

import pytest
from playwright.sync_api import expect

from shared import events, queue, timeutil
from shared.models import Display, Ticket
from shared.queue import doctors
from tests.browser import WAIT, save_screenshot
from tests.display.live import Server, act
from tests.factories import Factory
from tests.hospital import build_hospital

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REDIS = os.environ.get("ANTRE_TEST_REDIS_URL")
ROOM = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not REDIS:
        pytest.skip("ANTRE_TEST_REDIS_URL not set: the test's actions cannot reach the server")
    extra = {"ANTRE_MESSAGE_QUEUE": REDIS, "ANTRE_SOCKETIO_CHANNEL": f"t-{uuid.uuid4().hex[:8]}"}
    running = Server(tmp_path_factory.mktemp("hospital-live"), env_extra=extra).start()
    yield running
    running.stop()


def run(server, what):
    """``what(session)`` on the server's database, its events published to the server."""
    from flask_socketio import SocketIO

    channel = server.env_extra["ANTRE_SOCKETIO_CHANNEL"]
    publisher = events.SocketIOPublisher(SocketIO(message_queue=REDIS, channel=channel))
    return act(server.db_url, what, publisher)


@pytest.fixture(scope="module")
def hospital(server):
    """A test hospital, its poli room "Ruang 3" and a TV for the poli; a visit of an umum
    patient who chose the poli at the kiosk (so starts at registration), and a booked patient
    already waiting at the poli, in the same doctor's session."""

    def build(session):
        rs = build_hospital(Factory(session))
        names = (
            (rs.reg_umum, "Pendaftaran Umum"),
            (rs.poli, "Poli Penyakit Dalam"),
            (rs.non_racikan, "Farmasi Non Racikan"),
            (rs.cashier, "Kasir"),
        )
        for service, name in names:
            service.name = name
        rs.poli.agency.name = rs.poli.agency.short_name = "Poli"
        room = rs.poli.counters[0]
        room.number, room.name, room.doctor_id = ROOM, f"Ruang {ROOM}", rs.doctor.id
        tv = Display(site_id=rs.site.id, name="TV Poli", agency_ids=[rs.poli.agency_id])
        session.add(tv)
        day = timeutil.business_date(timeutil.now_utc(), rs.site.timezone)
        row = doctors.sessions_for_day(session, rs.poli, day)[0]
        booked = queue.issue_ticket(
            session, rs.poli.id, source="booking", payer="jkn", doctor_session_id=row.id
        )
        visit = queue.issue_ticket(session, rs.poli.id, payer="umum", doctor_session_id=row.id)
        session.flush()
        return {
            "code": visit.code,
            "first": visit.display_number,
            "ticket_id": visit.id,
            "booked_id": booked.id,
            "poli": rs.poli.name,
            "poli_id": rs.poli.id,
            "registration": rs.reg_umum.name,
            "tv": tv.id,
        }

    return run(server, build)


def serve(server, ticket_id: int) -> dict:
    """The ticket's counter calls it, serves it and finishes: the pathway queues the next step."""

    def act_on(session):
        ticket = session.get(Ticket, ticket_id)
        counter = ticket.service.counters[0]
        called = queue.call_ticket(session, counter, ticket)
        queue.start_ticket(session, called)
        queue.finish_ticket(session, called)
        new = max(called.visit.tickets, key=lambda t: t.id)
        return {"id": new.id, "number": new.display_number}

    return run(server, act_on)


def call(server, ticket_id: int) -> str:
    def act_on(session):
        ticket = session.get(Ticket, ticket_id)
        return queue.call_ticket(session, ticket.service.counters[0], ticket).display_number

    return run(server, act_on)


def open_phone(browser, server, code):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base}/t/{code}")
    expect(page.locator("#tk-link")).to_have_text("Terhubung", timeout=WAIT)
    page.locator("#tk-sound-skip").tap()
    return page, errors


def steps_of(page):
    return page.locator("#tk-path-list > li")


def test_the_phone_shows_the_path_and_follows_the_visit_to_the_poli(browser, server, hospital):
    page, errors = open_phone(browser, server, hospital["code"])
    steps = steps_of(page)
    expect(page.locator("#tk-path-h")).to_have_text("Langkah kunjungan Anda")
    expect(steps).to_have_count(4)
    here = page.locator("#tk-path-list > li[aria-current=step]")
    expect(here).to_have_count(1)
    expect(here).to_contain_text("Pendaftaran")
    expect(here).to_contain_text(hospital["first"])
    expect(here).to_contain_text("Sedang di sini")
    expect(steps.nth(1)).to_contain_text("Poli")
    expect(steps.nth(1)).to_contain_text("Berikutnya")
    save_screenshot(page, "ticket-path-registration.png", full_page=True)

    at_poli = serve(server, hospital["ticket_id"])
    # No reload: the visit's room announced the new ticket and the page joined it.
    expect(page.locator("#tk-number")).to_have_text(at_poli["number"])
    expect(page.locator("#tk-service")).to_have_text(hospital["poli"])
    expect(steps.first).to_contain_text("Selesai")
    expect(steps.first).not_to_have_attribute("aria-current", "step")
    expect(here).to_contain_text(at_poli["number"])
    expect(here).to_contain_text(hospital["poli"])
    expect(here).to_contain_text("Sedang di sini")
    # One booked patient of the same doctor's session waits before it.
    expect(page.locator("#tk-ahead")).to_have_text("1")
    save_screenshot(page, "ticket-path-poli.png", full_page=True)

    # The page now listens to the poli's queue: calling the patient before moves it up.
    call(server, hospital["booked_id"])
    expect(page.locator("#tk-ahead-label")).to_have_text("Anda berikutnya")
    assert page.url.endswith(hospital["code"])  # the same page all along
    assert errors == []
    page.context.close()


def test_the_tv_calls_the_poli_ticket_to_its_room(browser, server, hospital):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors, spoken = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: spoken.append(r.url) if "announcement.wav" in r.url else None)
    page.goto(f"{server.base}/display/zone/{hospital['tv']}")
    page.click("#sound-on")
    expect(page.locator("[data-live=true]")).to_have_count(1)

    def next_poli_ticket(session):
        waiting = (
            session.query(Ticket)
            .filter(Ticket.service_id == hospital["poli_id"], Ticket.status == "waiting")
            .order_by(Ticket.id)
            .first()
        )
        if waiting is None:  # the phone test did not run first: a booking of this poli
            waiting = queue.issue_ticket(session, hospital["poli_id"], source="booking")
        counter = waiting.service.counters[0]
        active = queue.active_ticket(session, counter)
        if active is not None:
            if active.status == "called":
                queue.start_ticket(session, active)
            queue.finish_ticket(session, active, end_visit=True)
        return queue.call_ticket(session, counter, waiting).display_number

    number = run(server, next_poli_ticket)
    expect(page.locator("#hero-number")).to_have_text(number)
    expect(page.locator("#hero-counter")).to_have_text(f"{hospital['poli']}, Ruang {ROOM}")
    hero = page.locator(".tv-hero").bounding_box()
    recent = page.locator("#recent").bounding_box()
    assert recent["y"] + recent["height"] <= hero["y"] + hero["height"]  # nothing pushed out
    save_screenshot(page, "display-poli-room-1366.png", animations="disabled")
    if not any("announcement.wav" in url for url in spoken):  # the chime may still be playing
        page.wait_for_event("request", lambda r: "announcement.wav" in r.url, timeout=WAIT)
    assert any(f"poli={hospital['poli_id']}" in url for url in spoken), spoken
    assert errors == []
    page.close()
