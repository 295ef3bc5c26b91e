"""Ticket taking over HTTP from concurrent kiosks: throughput, latency, no duplicate number.

    python bench/take_tickets.py --url http://127.0.0.1:5000 --kiosks 20 --tickets 2000

Every kiosk is a thread with its own HTTP connection, posting POST /kiosk/api/tickets with a
fresh idempotency key, spread over the open services. Bounded in count and time; aimed at a
server you started yourself on this machine (loopback only).
"""

from __future__ import annotations

import argparse
import re
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlparse

import requests

from bench.common import report, summary_ms

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=120)
    args = parser.parse_args()
    if urlparse(args.url).hostname not in LOOPBACK:
        raise SystemExit("benchmarks only target a server on this machine (loopback)")

    listing = requests.get(f"{args.url}/kiosk/api/services", timeout=10).json()["services"]
    services = [s["id"] for s in listing if s["open"] and s["quota_left"] is None]
    if not services:
        raise SystemExit("no open service without a quota: start the demo (make run)")

    latencies: list[float] = []
    numbers: list[tuple[int, str]] = []
    failures: Counter = Counter()
    lock = threading.Lock()
    remaining = [args.tickets]
    deadline = time.monotonic() + args.max_seconds

    def kiosk(index: int) -> None:
        # The demo kiosk (no device token) sends its page's CSRF token with the session cookie.
        http = requests.Session()
        page = http.get(f"{args.url}/kiosk/", timeout=10).text
        http.headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
        n = index
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            service_id = services[n % len(services)]
            n += args.kiosks
            body = {
                "service_id": service_id,
                "priority": "none",
                "idempotency_key": uuid.uuid4().hex,
            }
            started = time.perf_counter()
            response = http.post(f"{args.url}/kiosk/api/tickets", json=body, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                if response.status_code == 201:
                    latencies.append(elapsed)
                    numbers.append((service_id, response.json()["ticket"]["number"]))
                else:
                    failures[response.status_code] += 1

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(args.kiosks)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    duplicates = len(numbers) - len(set(numbers))
    report(
        {
            "benchmark": "ticket taking over HTTP",
            "url": args.url,
            "kiosks": args.kiosks,
            "tickets": len(numbers),
            "seconds": round(wall, 2),
            "tickets_per_second": round(len(numbers) / wall, 1),
            "latency": summary_ms(latencies),
            "duplicate_numbers": duplicates,
            "failures": dict(failures),
            "targets": {"tickets_per_second": 500, "p95_ms": 50},
        }
    )


if __name__ == "__main__":
    main()
