"""Kiosk taps while the report roll-ups are rebuilt: p95 without and with ``antre reports rebuild``.

    flock /tmp/antre-bench.lock python -m bench.reports_under_load [--tickets 300000 --days 90]
        [--kiosks 20] [--taps 1000] [--max-seconds 900]

Seeds a few months of a busy mall into a fresh SQLite file (bench/seed_year.py: random but shaped
like real days), folds them into the roll-ups once, then starts ``run.py`` on that file (its own
report job then finds nothing to do). Phase 1: the kiosks take ``--taps`` tickets over HTTP
(bench.take_tickets' client). Phase 2: ``antre reports rebuild`` runs as its own process, as an
administrator would after an upgrade, and the kiosks keep taking tickets until it ends. The
goal (issue 18): phase 2's p95 close to phase 1's, since the rebuild writes a day per short
transaction and reads outside SQLite's write lock. Loopback only; everything in a temp dir.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import requests

from bench.common import report, summary_ms
from bench.local_server import ROOT, own_server
from bench.seed_year import seed
from bench.take_tickets import Kiosk
from shared.db import make_engine, make_session_factory
from shared.reports import refresh_rollups


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300_000, help="seeded history")
    parser.add_argument("--days", type=int, default=90, help="business days of history")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--taps", type=int, default=1000, help="tickets taken in phase 1")
    parser.add_argument("--max-seconds", type=float, default=900, help="bound of each phase")
    return parser.parse_args()


def prepare(url: str, tickets: int, days: int) -> dict:
    seeded = seed(url, tickets, days, date.today() - timedelta(days=1))
    engine = make_engine(url)
    started = time.perf_counter()
    with make_session_factory(engine)() as session:
        refresh_rollups(session)  # the roll-ups up to date before the server starts
        session.commit()
    engine.dispose()
    seeded["first_rollup_seconds"] = round(time.perf_counter() - started, 1)
    return seeded


class Taps:
    """The kiosks, each a thread taking tickets until told to stop or out of count."""

    def __init__(self, base: str, kiosks: int):
        listing = Kiosk(base).services()
        self.services = [s["id"] for s in listing if s["open"] and s["quota_left"] is None]
        if not self.services:
            raise SystemExit("no open service without a quota in the demo data")
        self.devices = [Kiosk(base) for _ in range(kiosks)]

    def run(self, count: int | None, stop: threading.Event, max_seconds: float) -> dict:
        latencies: list[float] = []
        failures: Counter = Counter()
        lock = threading.Lock()
        remaining = [count if count is not None else 10**9]
        deadline = time.monotonic() + max_seconds

        def kiosk(index: int) -> None:
            device, n = self.devices[index], index
            while not stop.is_set() and time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                service_id = self.services[n % len(self.services)]
                n += len(self.devices)
                started = time.perf_counter()
                try:
                    answer = device.take(service_id)
                except requests.RequestException as error:
                    with lock:
                        failures[type(error).__name__] += 1
                    continue
                with lock:
                    if answer.status_code == 201:
                        latencies.append(time.perf_counter() - started)
                    else:
                        failures[answer.status_code] += 1

        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(len(self.devices))]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        return {
            "tickets": len(latencies),
            "seconds": round(wall, 2),
            "tickets_per_second": round(len(latencies) / wall, 1) if wall else None,
            "latency": summary_ms(latencies),
            "failures": dict(failures),
        }


def rebuild_while_tapping(url: str, taps: Taps, max_seconds: float) -> dict:
    env = {**os.environ, "ANTRE_DATABASE_URL": url}
    stop = threading.Event()
    started = time.perf_counter()
    rebuild = subprocess.Popen(
        [sys.executable, "-m", "shared.cli", "reports", "rebuild"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    outcome: dict = {}

    def wait_for_rebuild() -> None:
        output, _ = rebuild.communicate()
        outcome["rebuild_seconds"] = round(time.perf_counter() - started, 1)
        outcome["rebuild_exit"] = rebuild.returncode
        outcome["rebuild_said"] = output.strip().splitlines()[-1:] if output else []
        stop.set()

    waiter = threading.Thread(target=wait_for_rebuild)
    waiter.start()
    tapped = taps.run(None, stop, max_seconds)
    if not stop.is_set():
        rebuild.terminate()
    waiter.join()
    return {**tapped, **outcome}


def main() -> None:
    args = arguments()
    folder = Path(tempfile.mkdtemp(prefix="antre-reports-load-"))
    url = f"sqlite:///{folder / 'antre.db'}"
    try:
        seeded = prepare(url, args.tickets, args.days)
        with own_server(ANTRE_DATABASE_URL=url) as base:
            taps = Taps(base, args.kiosks)
            quiet = taps.run(args.taps, threading.Event(), args.max_seconds)
            busy = rebuild_while_tapping(url, taps, args.max_seconds)
        report(
            {
                "benchmark": "kiosk taps while the report roll-ups are rebuilt (SQLite, run.py)",
                "kiosks": args.kiosks,
                "history": seeded,
                "without_rebuild": quiet,
                "during_rebuild": busy,
                "p95_ratio": (
                    round(busy["latency"]["p95_ms"] / quiet["latency"]["p95_ms"], 2)
                    if quiet["tickets"] and busy["tickets"]
                    else None
                ),
            }
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
