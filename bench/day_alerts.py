"""Alerts in bench/day.py (``--alerts 0.3``): citizens opt in, a fake WhatsApp gateway in the bench
process records when each alert arrives, and each is set against the moment the lobby TV got the
call (Socket.IO ``ticket.called``).

The server must send to this gateway: start it with ``ANTRE_NOTIFY_GATEWAY_URL`` pointing at
``--gateway-port`` (docs/benchmarks.md, "Alerts: before the TV"). Alerts are told apart by their
default Indonesian texts ("Giliran Anda!" for the call, "… lagi sebelum giliran Anda" for "N lagi").

- A call alert is matched to the TV's display of that very call: the k-th call alert of number X
  with the k-th ``ticket.called`` of X (a recall is a call again), the earliest of the TVs.
- An "N lagi" alert is written in the transaction of the call that moved its queue: it is matched
  to the TV call of the same service nearest in time (within 3 s; else counted unmatched).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from bench.common import percentile

NEAR_WINDOW = 3.0


class Gateway:
    """A WhatsApp/SMS gateway on loopback: 200 to everything, (monotonic time, body) kept."""

    def __init__(self, port: int):
        self.arrivals: list[tuple[float, dict]] = []
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                at = time.monotonic()
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with gateway.lock:
                    gateway.arrivals.append((at, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def settle(self, quiet: float = 2.0, limit: float = 30.0) -> None:
        """Wait until nothing has arrived for ``quiet`` seconds: the outbox has drained."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                last = self.arrivals[-1][0] if self.arrivals else 0.0
            if time.monotonic() - last >= quiet:
                return
            time.sleep(0.2)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class OptIn:
    """A share of the kiosk's citizens ask for WhatsApp alerts on their ticket page."""

    def __init__(self, base: str, share: float, rng):
        self.base, self.share, self.rng = base, share, rng
        self.numbers: set[str] = set()
        self.refused = 0
        self.lock = threading.Lock()
        self.local = threading.local()

    def __call__(self, ticket: dict) -> None:
        if self.rng.random() >= self.share:
            return
        http = getattr(self.local, "http", None) or requests.Session()
        self.local.http = http
        phone = f"+62812{self.rng.randrange(10**7, 10**8)}"
        answer = http.post(
            f"{self.base}/t/{ticket['code']}/notify",
            json={"channel": "whatsapp", "phone": phone},
            timeout=60,
        )
        with self.lock:
            if answer.status_code == 201:
                self.numbers.add(ticket["number"])
            else:
                self.refused += 1


def _kind(text: str) -> str:
    if text.startswith(("Giliran Anda", "Your turn")):
        return "call"
    if "sebelum giliran Anda" in text or "before your turn" in text:
        return "near"
    return "other"


def _summary(lags: list[float]) -> dict:
    ms = [lag * 1000 for lag in lags]
    return {
        "count": len(ms),
        "before_tv": sum(1 for m in ms if m < 0),
        "within_1s_after": sum(1 for m in ms if 0 <= m <= 1000),
        "over_1s": sum(1 for m in ms if m > 1000),
        "p50_ms": round(percentile(ms, 0.50), 1) if ms else None,
        "p95_ms": round(percentile(ms, 0.95), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
    }


def tv_calls(tvs) -> dict[str, list[float]]:
    """number -> the earliest TV arrival of each of its calls, in order (call, recalls)."""
    first: dict[tuple[str, int], float] = {}
    for tv in tvs:
        with tv.lock:
            for at, message in zip(tv.arrived_at, tv.calls, strict=True):
                key = (message["number"], message["recall_count"])
                first[key] = min(at, first.get(key, at))
    calls: dict[str, list[float]] = defaultdict(list)
    for (number, _recall), at in sorted(first.items()):
        calls[number].append(at)
    return calls


def report(gateway: Gateway, optin: OptIn, tvs) -> dict:
    """Each alert: its arrival at the gateway minus the TV display of its call (< 0: before)."""
    calls = tv_calls(tvs)
    by_prefix: dict[str, list[float]] = defaultdict(list)
    for number, times in calls.items():
        by_prefix[number.split("-")[0]].extend(times)
    with gateway.lock:
        arrivals = list(gateway.arrivals)
    seen: dict[str, int] = defaultdict(int)
    lags: dict[str, list[float]] = {"call": [], "near": []}
    unmatched = defaultdict(int)
    for at, body in arrivals:
        kind, number = _kind(body.get("text", "")), body.get("ticket", "")
        if kind == "call":
            index = seen[number]
            seen[number] += 1
            if index < len(calls.get(number, [])):
                lags["call"].append(at - calls[number][index])
            else:
                unmatched["call"] += 1
        elif kind == "near":
            nearby = [t for t in by_prefix.get(number.split("-")[0], []) if abs(at - t) <= 3]
            if nearby:
                lags["near"].append(at - min(nearby, key=lambda t: abs(at - t)))
            else:
                unmatched["near"] += 1
        else:
            unmatched["other"] += 1
    called_subscribed = sum(len(calls.get(n, [])) for n in optin.numbers)
    ids = [body.get("id") for _, body in arrivals]
    return {
        "opted_in": len(optin.numbers),
        "opt_in_refused": optin.refused,
        "alerts_received": len(arrivals),
        "repeated_ids": len(ids) - len(set(ids)),
        "tv_calls_of_opted_in": called_subscribed,
        "call_alerts_missing": max(0, called_subscribed - len(lags["call"])),
        "call_minus_tv": _summary(lags["call"]),
        "near_minus_tv": _summary(lags["near"]),
        "unmatched": dict(unmatched),
    }
