"""Lookups by code are rate limited per client (issue 13, item 7): every route that finds a ticket
or a booking by its code, and the /ticket socket's join, share one budget that only misses spend.

The 31st unknown code in a minute is refused (429, or a refused join), whatever route it went
through, while the phone reloading its own, real ticket is never counted.
"""

from __future__ import annotations

import itertools
import re

import pytest
import requests
import socketio
from sqlalchemy import select

from shared.models import Service
from shared.web.database import database
from shared.web.limits import CODE_MISSES
from tests.display.live import Server, issue_and_call

MISSES_PER_MINUTE = 30
# One unknown code (well formed where a format is checked) per route that looks codes up.
GUESSES = [
    "/t/ZZtebakZZ",
    "/t/ZZtebakZZ.json",
    "/t/ZZtebakZZ/survey",
    "/kiosk/qr/ZZtebakZZ.svg",
    "/kiosk/booking/ZZZZ2345",
    "/kiosk/booking/ZZZZ2345/qr.png",
    "/kiosk/booking/ZZZZ2345/card.png",
    "/kiosk/api/bookings/ZZZZ2345",
]


def test_the_limit_is_the_documented_one():
    assert CODE_MISSES.split(";")[0] == f"{MISSES_PER_MINUTE}/minute"


def a_ticket_code(app) -> str:
    from shared import queue

    with database(app).session_factory() as session:
        service = session.execute(select(Service).order_by(Service.id)).scalars().first()
        code = queue.issue_ticket(session, service.id).code
        session.commit()
        return code


def test_guessing_codes_over_http_is_refused_but_a_reload_is_not(app, client):
    code = a_ticket_code(app)
    page = client.get("/kiosk/")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    statuses = []
    for _, guess in zip(range(MISSES_PER_MINUTE - 1), itertools.cycle(GUESSES), strict=False):
        statuses.append(client.get(guess).status_code)
        # The citizen's own page, reloaded between the guesses: found, so never counted.
        assert client.get(f"/t/{code}").status_code == 200
        assert client.get(f"/t/{code}.json").status_code == 200
    # A kiosk typing a booking code that does not exist spends the same budget.
    check_in = client.post("/kiosk/api/bookings/ZZZZ2345/check-in", headers={"X-CSRFToken": csrf})
    statuses.append(check_in.status_code)
    assert statuses == [404] * MISSES_PER_MINUTE
    for guess in GUESSES:
        assert client.get(guess).status_code == 429, guess
    refused = client.get(f"/t/{code}.json")
    assert refused.status_code == 429 and refused.json["error"] == "too_many_requests"


def test_another_client_keeps_its_own_budget(app, client):
    for guess in itertools.islice(itertools.cycle(GUESSES), MISSES_PER_MINUTE + 1):
        client.get(guess)
    assert client.get(GUESSES[0]).status_code == 429
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert neighbour.get(GUESSES[0]).status_code == 404


@pytest.mark.slow
def test_guessing_codes_through_the_ticket_socket_is_refused(tmp_path):
    """A real server and a real Socket.IO client: the join by code spends the HTTP budget too."""
    server = Server(tmp_path, env_extra={"ANTRE_RATE_LIMITS": "1"}).start()
    phone = socketio.Client()
    try:
        code = issue_and_call(server.db_url, 1)["code"]
        phone.connect(server.base, namespaces=["/ticket"], transports=["websocket"])

        def join(what: str) -> dict:
            return phone.call("join", {"code": what}, namespace="/ticket", timeout=10)

        answers = []
        for index in range(MISSES_PER_MINUTE):
            # The phone's own ticket, rejoined between the guesses: found, so never counted.
            assert join(code)["ok"] is True
            answers.append(join(f"tebakan-{index:04d}"))
        assert [(a["ok"], a["status"]) for a in answers] == [(False, 404)] * MISSES_PER_MINUTE
        refused = join("tebakan-lagi")
        assert (refused["ok"], refused["status"], refused["error"]) == (
            False,
            429,
            "too_many_requests",
        )
        # The same address over HTTP has no budget left either.
        assert requests.get(f"{server.base}/t/tebakan-http.json", timeout=10).status_code == 429
    finally:
        phone.disconnect()
        server.stop()
