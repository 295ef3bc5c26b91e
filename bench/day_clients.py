"""The outside world of bench/day.py: a clerk's browser session, a lobby TV, a citizen's phone.

Each speaks only the public interfaces: the counter's sign-in form and JSON API (with the CSRF
token its pages carry), Socket.IO /display, the survey form at /t/<code>/survey, the CSV export.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import time
import uuid

import requests
import socketio

HIDDEN = re.compile(r'name="(csrf_token|ticket_id)" value="([^"]*)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Staff:
    """A signed-in member of staff: the real login form, then the JSON API with X-CSRFToken."""

    def __init__(self, base: str, username: str, password: str = "antre123"):
        self.base = base
        self.http = requests.Session()
        form = dict(HIDDEN.findall(self.http.get(f"{base}/counter/login", timeout=30).text))
        answer = self.http.post(
            f"{base}/counter/login",
            data={**form, "username": username, "password": password, "next": ""},
            timeout=30,
        )
        token = META_CSRF.search(answer.text)
        if answer.status_code != 200 or token is None:
            raise RuntimeError(f"{username} could not sign in ({answer.status_code})")
        self.page = answer.text  # clerks land on the counter picker
        self.http.headers["X-CSRFToken"] = token.group(1)

    def counters(self) -> list[int]:
        return [int(n) for n in re.findall(r'data-counter="(\d+)"', self.page)]

    def post(self, path: str, body: dict | None = None) -> dict:
        answer = self.http.post(f"{self.base}{path}", json=body or {}, timeout=60)
        if answer.status_code != 200:
            raise RuntimeError(f"POST {path}: {answer.status_code} {answer.text[:200]}")
        return answer.json()

    def call_next(self, counter_id: int) -> dict | None:
        body = {"request_id": uuid.uuid4().hex}
        return self.post(f"/counter/api/counters/{counter_id}/call-next", body)["ticket"]

    def act(self, ticket_id: int, action: str, **body) -> dict:
        return self.post(f"/counter/api/tickets/{ticket_id}/{action}", body)

    def set_status(self, counter_id: int, status: str, reason: str = "") -> None:
        self.post(
            f"/counter/api/counters/{counter_id}/status", {"status": status, "reason": reason}
        )

    def wait_for_current_report(self, max_seconds: float = 180) -> None:
        """Until the report page says its roll-ups hold everything logged so far: the server's
        report job folds the log in every ANTRE_REPORTS_REFRESH_SECONDS (60 by default)."""
        deadline = time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            page = self.http.get(f"{self.base}/counter/reports/?period=day", timeout=120).text
            if 'data-current="yes"' in page:
                return
            time.sleep(1)
        raise RuntimeError(f"the report roll-ups did not catch up within {max_seconds:g} s")

    def report(self, query: str = "period=day&lang=en") -> dict[str, dict[str, str]]:
        """The CSV export, as {table: {first column: second column}}."""
        answer = self.http.get(f"{self.base}/counter/reports/export.csv?{query}", timeout=120)
        answer.raise_for_status()
        tables: dict[str, dict[str, str]] = {}
        current = None
        for row in csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))):
            if row and row[0].startswith("# "):
                current = tables.setdefault(row[0][2:], {})
            elif current is not None and len(row) >= 2:
                current[row[0]] = row[1]
        return tables


class Television:
    """A lobby TV: a python-socketio client joined to one zone, keeping every ticket.called."""

    def __init__(self, base: str, zone: int):
        self.zone = zone
        self.calls: list[dict] = []
        self.arrived_at: list[float] = []  # time.monotonic() of each call, parallel to calls
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=True)
        self.client.on("ticket.called", self._called, namespace="/display")
        self.client.connect(
            base, namespaces=["/display"], socketio_path="socket.io", transports=["websocket"]
        )
        joined = self.client.call("join", {"zone": zone}, namespace="/display", timeout=30)
        if not joined or not joined.get("ok"):
            raise RuntimeError(f"the TV could not join zone {zone}: {joined}")

    def _called(self, message: dict) -> None:
        at = time.monotonic()
        with self.lock:
            self.calls.append(message)
            self.arrived_at.append(at)

    def seen(self) -> set[tuple[int, int]]:
        with self.lock:
            return {(m["ticket_id"], m["recall_count"]) for m in self.calls}

    def counters_by_ticket(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        with self.lock:
            for m in self.calls:
                found.setdefault(m["ticket_id"], set()).add(m["counter"]["number"])
        return found

    def close(self) -> None:
        self.client.disconnect()


def rate_visit(base: str, code: str, scores: dict[str, int], suggestion: str = "") -> bool:
    """A citizen answers the survey on the ticket page; True when the thank-you came back."""
    http = requests.Session()
    page = http.get(f"{base}/t/{code}/survey", timeout=30)
    fields = dict(HIDDEN.findall(page.text))
    if "ticket_id" not in fields:
        return False  # nothing to rate (yet)
    body = {**fields, **{k: str(v) for k, v in scores.items()}, "suggestion": suggestion}
    answer = http.post(f"{base}/t/{code}/survey", data=body, timeout=30)
    return answer.status_code == 200 and "thanks=1" in answer.url


def ticket_status(http: requests.Session, base: str, code: str) -> str:
    answer = http.get(f"{base}/t/{code}.json", timeout=30)
    answer.raise_for_status()
    return answer.json()["status"]
