"""The HTTP side of the socket benchmarks: tickets from the kiosk API, a clerk calling at a counter.

Only public interfaces: the demo kiosk's page (its CSRF token) and POST /kiosk/api/tickets, the
counter's sign-in form and JSON API (bench/day_clients.py Staff).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from urllib.parse import urlparse

import requests

from bench.day_clients import Staff

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def require_loopback(*urls: str) -> None:
    for url in urls:
        if urlparse(url).hostname not in LOOPBACK:
            raise SystemExit("benchmarks only target a server on this machine (loopback)")


def open_services(base: str) -> list[int]:
    """The services a kiosk can take a ticket for right now (no daily quota to run out)."""
    listing = requests.get(f"{base}/kiosk/api/services", timeout=30).json()["services"]
    return [s["id"] for s in listing if s["open"] and s["quota_left"] is None]


def take_tickets(base: str, service_ids: list[int], kiosks: int = 4) -> list[dict]:
    """One ticket per entry of service_ids, from several kiosks at once; in the given order."""
    taken: list[dict | None] = [None] * len(service_ids)
    errors: list[str] = []
    cursor = iter(range(len(service_ids)))
    lock = threading.Lock()

    def kiosk() -> None:
        http = requests.Session()
        page = http.get(f"{base}/kiosk/", timeout=30).text
        http.headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
        while True:
            with lock:
                index = next(cursor, None)
            if index is None or errors:
                return
            body = {
                "service_id": service_ids[index],
                "priority": "none",
                "idempotency_key": uuid.uuid4().hex,
            }
            answer = http.post(f"{base}/kiosk/api/tickets", json=body, timeout=60)
            if answer.status_code != 201:
                errors.append(f"{answer.status_code} {answer.text[:200]}")
                return
            taken[index] = answer.json()["ticket"]

    threads = [threading.Thread(target=kiosk) for _ in range(max(1, kiosks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"the kiosk refused a ticket: {errors[0]}")
    return taken


class Desk:
    """A clerk signed in at their first counter, calling and serving as fast as the API allows."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.staff = Staff(base, username)
        self.counter = self.staff.counters()[0]
        snapshot = self.snapshot()
        self.service_ids: list[int] = snapshot["counter"]["service_ids"]
        if snapshot["current"]:  # left over from an earlier run: free the counter
            self.serve(snapshot["current"]["id"])

    def snapshot(self) -> dict:
        answer = self.staff.http.get(f"{self.base}/counter/api/counters/{self.counter}", timeout=60)
        answer.raise_for_status()
        return answer.json()

    def call_next(self) -> tuple[float, float, dict | None]:
        """(monotonic time just before the request, round trip in seconds, the called ticket)."""
        began = time.monotonic()
        ticket = self.staff.call_next(self.counter)
        return began, time.monotonic() - began, ticket

    def serve(self, ticket_id: int) -> None:
        for action in ("start", "finish"):
            try:
                self.staff.act(ticket_id, action)
            except RuntimeError:
                if action == "start":  # already in service: finishing is enough
                    continue
                raise
