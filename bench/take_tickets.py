"""Ticket taking over HTTP from concurrent kiosks: throughput, latency, no duplicate number.

    python -m bench.take_tickets --url http://127.0.0.1:5000 --kiosks 20 --tickets 2000
    python -m bench.take_tickets --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 ...
    python -m bench.take_tickets --kiosks 20 --tickets 1200 --rate 20

Every kiosk is a thread with its own HTTP connection, posting POST /kiosk/api/tickets with a
fresh idempotency key, spread over the open services. By default each kiosk taps again as soon
as it has its answer (closed loop: the server's most). With ``--rate`` citizens arrive at that
many taps a second in all (Poisson, fixed seed), dealt to the kiosks in turn (open loop: a lobby
at a given busyness); a tap's latency then counts from its arrival, so a kiosk still busy with
the previous citizen's ticket makes the next one wait, as it would. ``--warmup N`` first takes N
tickets of every open service, one after the other and not measured: a server's first requests
compile their SQL and fill its caches (tens of ms each), which a server that has run a while has
done. Several --url (kiosk processes sharing one database) are shared out round-robin, kiosk i on
URL i mod n. Bounded in count and time (--max-seconds, after the last arrival with --rate); aimed
at servers you started yourself on this machine (loopback only).
"""

from __future__ import annotations

import argparse
import random
import re
import threading
import time
import uuid
from collections import Counter

import requests

from bench.common import report, summary_ms
from bench.local_server import check_loopback


class Kiosk:
    """A kiosk over HTTP: the demo kiosk (session cookie + its page's CSRF token) or, with
    ``token``, a registered kiosk sending its device token in the X-Kiosk-Token header."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.http = requests.Session()
        if token:
            self.http.headers["X-Kiosk-Token"] = token
        else:
            page = self.http.get(f"{base}/kiosk/", timeout=30).text
            csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
            self.http.headers["X-CSRFToken"] = csrf

    def services(self) -> list[dict]:
        return self.http.get(f"{self.base}/kiosk/api/services", timeout=30).json()["services"]

    def take(self, service_id: int, timeout: float = 30) -> requests.Response:
        body = {"service_id": service_id, "priority": "none", "idempotency_key": uuid.uuid4().hex}
        return self.http.post(f"{self.base}/kiosk/api/tickets", json=body, timeout=timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="repeat for several kiosk processes")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--kiosk-token", help="a registered kiosk's device token (else demo)")
    parser.add_argument("--rate", type=float, help="taps per second in all (open loop)")
    parser.add_argument("--seed", type=int, default=18, help="of --rate's arrivals")
    parser.add_argument("--warmup", type=int, default=0, help="unmeasured taps per service first")
    args = parser.parse_args()
    urls = args.url or ["http://127.0.0.1:5000"]
    check_loopback(*urls)

    listing = Kiosk(urls[0], args.kiosk_token).services()
    services = [s["id"] for s in listing if s["open"] and s["quota_left"] is None]
    if not services:
        raise SystemExit("no open service without a quota: start the demo (make run)")

    # Every kiosk has its session before any starts, so a server slow to render its first page
    # does not leave the whole count to the others.
    devices = [Kiosk(urls[i % len(urls)], args.kiosk_token) for i in range(args.kiosks)]
    latencies: list[float] = []
    numbers = warm_up(devices, services, args.warmup)  # checked for duplicates too
    failures: Counter = Counter()
    lock = threading.Lock()
    remaining = [args.tickets]
    late = [0]  # open loop: taps that found their kiosk still busy
    arrivals = poisson_arrivals(args.rate, args.tickets, args.seed) if args.rate else None
    deadline = time.monotonic() + args.max_seconds + (arrivals[-1] if arrivals else 0)
    per_url: Counter = Counter()

    def kiosk(index: int) -> None:
        device = devices[index]
        url = device.base
        n = index
        while time.monotonic() < deadline:
            if arrivals is not None:
                # Open loop: this kiosk's citizens are arrivals index, index + kiosks, …, not a
                # shared count (which let a kiosk done with its own take another's last one).
                if n >= len(arrivals):
                    return
            else:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
            service_id = services[n % len(services)]
            started = time.perf_counter()
            if arrivals is not None:  # wait for this kiosk's next citizen, or count the delay
                started = began + arrivals[n]
                wait = started - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                else:
                    with lock:
                        late[0] += 1
            n += args.kiosks
            try:
                response = device.take(service_id)
            except requests.RequestException as error:
                with lock:
                    failures[type(error).__name__] += 1
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if response.status_code == 201:
                    latencies.append(elapsed)
                    numbers.append((service_id, response.json()["ticket"]["number"]))
                    per_url[url] += 1
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
            "url": urls[0] if len(urls) == 1 else urls,
            "tickets_per_url": dict(per_url),
            "warmup_taps": len(services) * args.warmup * len(set(urls)),
            "kiosks": args.kiosks,
            "offered_taps_per_second": args.rate,
            "taps_finding_their_kiosk_busy": late[0] if args.rate else None,
            "tickets": len(latencies),
            "seconds": round(wall, 2),
            "tickets_per_second": round(len(latencies) / wall, 1),
            "latency": summary_ms(latencies),
            "duplicate_numbers": duplicates,
            "failures": {str(k): v for k, v in failures.items()},
            "targets": {"tickets_per_second": 500, "p95_ms": 50},
        }
    )


def warm_up(devices: list[Kiosk], services: list[int], taps: int) -> list[tuple[int, str]]:
    """``taps`` tickets of each service through each server's first kiosk: (service, number)."""
    numbers = []
    for device in {device.base: device for device in devices}.values():
        for service_id in services * taps:
            response = device.take(service_id)
            if response.status_code != 201:
                raise SystemExit(f"warm-up tap answered {response.status_code}")
            numbers.append((service_id, response.json()["ticket"]["number"]))
    return numbers


def poisson_arrivals(rate: float, count: int, seed: int) -> list[float]:
    """Seconds from the start at which ``count`` citizens tap, ``rate`` a second on average."""
    draw = random.Random(seed)
    at, times = 0.0, []
    for _ in range(count):
        at += draw.expovariate(rate)
        times.append(at)
    return times


if __name__ == "__main__":
    main()
