"""A lobby TV (the real page in Chromium) offline while a busy mall goes on calling, then back.

Playwright's ``set_offline`` cuts the page's network: its websocket drops, so the server ends
that Socket.IO session, and every request fails. Meanwhile the clerks make many calls across
the zone's counters (each call, start and finish is an event the TV misses; nothing buffers
them for it). Back online, the page reconnects, sees from the join's sequence numbers that it
missed events, takes a fresh snapshot (tv.js ``join`` -> ``snapshot``) and must show exactly the
current state; then it must go on showing live calls.

ANTRE_TEST_TV_OFFLINE_SECONDS (default 8) sets how long the TV stays offline; the calls are
spread over that time. Run once by hand with 600 for the real ten minutes.
"""

from __future__ import annotations

import os
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from tests.browser import launch
from tests.scale.mall import counters_with_clerks
from tests.scale.processes import Clerk, KioskClient
from tests.servers import running_server

OFFLINE_SECONDS = float(os.environ.get("ANTRE_TEST_TV_OFFLINE_SECONDS", "8"))
# The suite's 300 s limit, stretched when the offline period is made long by hand.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.timeout(max(300, OFFLINE_SECONDS + 240)),
]
CALLS = 60  # more than the TV's six recent calls, on every counter of the zone, several times


def zone_state(base: str) -> dict:
    answer = requests.get(f"{base}/display/api/state?zone=1", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def shown(page) -> dict:
    """What the TV shows: the big number, the recent list, each counter's tile, waiting counts."""
    return {
        "hero": page.inner_text("#hero-number"),
        "recent": page.locator("#recent li .num").all_inner_texts(),
        "tiles": page.locator("#serving .tv-tile-num").all_inner_texts(),
        # The page of the waiting list on screen now (the TV turns its pages by itself).
        "waiting": dict(
            zip(
                page.locator("#waiting li .svc").all_inner_texts(),
                page.locator("#waiting li .count").all_inner_texts(),
                strict=True,
            )
        ),
    }


def expected(state: dict, none: str, closed: str) -> dict:
    """The same, computed from a snapshot of the server's state."""
    calls = [call["number"] for call in state["recent_calls"]]
    return {
        "hero": calls[0] if calls else none,
        "recent": calls[1:],
        "tiles": [(c["current"] or {}).get("number", none) for c in state["counters"]],
        "waiting": {
            f"{s['prefix']} · {s['name']}": str(s["waiting"]) if s["open"] else closed
            for s in state["services"]
        },
    }


def agrees(seen: dict, want: dict) -> bool:
    """The TV shows the snapshot: the calls and tiles whole, and whichever page of the waiting
    list is on screen, every row of it as the server counts it."""
    waiting = seen["waiting"]
    same = all(seen[key] == want[key] for key in ("hero", "recent", "tiles"))
    return same and bool(waiting) and waiting.items() <= want["waiting"].items()


def session_alive(base: str, sid: str) -> bool:
    """Whether the server still holds this Engine.IO session: a polling request naming a live
    websocket session is refused as "Invalid transport", a forgotten one as "Invalid session"."""
    answer = requests.get(
        f"{base}/socket.io/", params={"EIO": "4", "transport": "polling", "sid": sid}, timeout=30
    )
    assert answer.status_code == 400, answer.text
    return "Invalid session" not in answer.text


def call_one(kiosk: KioskClient, clerk: Clerk, counter: dict) -> str:
    """A citizen takes a ticket and is called at once (the previous one finished first)."""
    assert kiosk.take(counter["service"]).status_code == 201
    answer = clerk.call_next(counter["id"])
    assert answer.status_code == 200, answer.text
    ticket = answer.json()["ticket"]
    clerk.serve(ticket["id"])
    return ticket["number"]


def test_tv_offline_then_back_shows_exactly_the_current_state(demo_db_url, tmp_path):
    with (
        running_server(demo_db_url, log_path=tmp_path / "server.log") as (base, _),
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        sockets = []
        page.on("websocket", lambda socket: sockets.append(socket))
        page.goto(f"{base}/display/zone/1")
        page.click("#sound-on")
        tv = page.locator("#tv")
        expect(tv).to_have_attribute("data-live", "true", timeout=20000)
        none, closed = tv.get_attribute("data-t-none"), tv.get_attribute("data-t-closed")

        zone = {c["id"] for c in zone_state(base)["counters"]}
        listed = requests.get(f"{base}/kiosk/api/services", timeout=10).json()["services"]
        takeable = {s["id"] for s in listed if s["open"] and s["quota_left"] is None}
        counters = [
            c
            for c in counters_with_clerks(demo_db_url)
            if c["id"] in zone and c["service"] in takeable
        ]
        assert len(counters) >= 4, counters
        kiosk = KioskClient(base)
        clerks = {c["id"]: Clerk(base, c["clerk"]) for c in counters}
        live = call_one(kiosk, clerks[counters[0]["id"]], counters[0])
        expect(page.locator("#hero-number")).to_have_text(live)

        first = parse_qs(urlsplit(sockets[-1].url).query)["sid"][0]
        assert session_alive(base, first)
        context.set_offline(True)
        expect(tv).to_have_attribute("data-live", "false", timeout=60000)
        cut = time.monotonic()
        if not sockets[-1].is_closed():  # its "close" event, or a timeout: it outlived the network
            try:
                sockets[-1].wait_for_event("close", timeout=10_000)
            except PlaywrightError as error:  # ended by a socket error instead: ended all the same
                if "Socket error" not in error.message:
                    raise
        # The server has ended that Engine.IO session (a request naming it is refused).
        while session_alive(base, first) and time.monotonic() - cut < 60:
            time.sleep(0.2)
        assert not session_alive(base, first), "the server still holds the offline TV's session"
        went_offline = time.monotonic()
        numbers = []
        for index in range(CALLS):
            counter = counters[index % len(counters)]
            numbers.append(call_one(kiosk, clerks[counter["id"]], counter))
            # Spread over the offline period (a busy hour, squeezed or not).
            time.sleep(
                max(0.0, went_offline + OFFLINE_SECONDS * (index + 1) / CALLS - time.monotonic())
            )
        # Some citizens are still waiting when the TV comes back.
        for counter in counters[:3]:
            assert kiosk.take(counter["service"]).status_code == 201
        assert page.inner_text("#hero-number") == live, "the offline TV received a call"
        # Offline it polls the snapshot every 15 s and fails: it shows the offline notice.
        if OFFLINE_SECONDS >= 6:
            expect(page.locator("#offline")).to_be_visible()

        opened = len(sockets)
        context.set_offline(False)
        expect(tv).to_have_attribute("data-live", "true", timeout=30000)
        assert len(sockets) > opened, "no new connection: the old session was not given up"
        state = zone_state(base)
        assert state["recent_calls"][0]["number"] == numbers[-1]
        want = expected(state, none, closed)
        deadline = time.monotonic() + 20
        while not agrees(shown(page), want) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert agrees(shown(page), want), (shown(page), want)
        expect(page.locator("#offline")).to_be_hidden()

        # And it is live again: the next call appears without any snapshot.
        after = call_one(kiosk, clerks[counters[1]["id"]], counters[1])
        expect(page.locator("#hero-number")).to_have_text(after)
        assert page.locator("#recent li .num").first.inner_text() == numbers[-1]
        browser.close()
