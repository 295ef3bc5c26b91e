"""The CPU of a kiosk tap and of a clerk's call, start and finish, in process: no HTTP, no clients.

    python -m bench.in_process --taps 300 --cycles 300 [--profile FILE]

The embedded app (``run.create_app``, demo data, private SQLite file, threading mode, no rate
limits) is driven through Flask's test client, so what is measured is the server's own work for
each request (``time.process_time``), not the network or a load generator sharing the cores: a
quick comparison of two versions of the code on a busy machine. Taps go to the demo kiosk's
first open service (best of three rounds of ``--taps``); cycles are Dukcapil's Loket 1 calling
the next of its KTP and KK tickets, starting and finishing it (p50 of each), after ``--served``
cycles not measured (late in a day: that many finished already). ``--pause`` waits that many
seconds before each measured cycle, as a clerk's calls come seconds apart: on this shared host a
request after a pause of 0.1 s or more runs with cold caches and costs far more CPU than one of
a loop (docs/benchmarks.md, "twelfth pass"). ``--profile`` writes a cProfile of one more round
of taps and cycles.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
LOGIN_FIELDS = re.compile(r'name="(csrf_token)" value="([^"]*)"')
CLERK = ("dukcapil1", "antre123")  # the demo's public login (demo data only)
CLERK_SERVICES = ("KTP", "KK")


def make_app(folder: Path):
    os.environ.update(
        ANTRE_DATABASE_URL=f"sqlite:///{folder / 'antre.db'}",
        ANTRE_INSTANCE_PATH=str(folder / "instance"),
        ANTRE_DEMO="1",
        ANTRE_RATE_LIMITS="0",
        ANTRE_ASYNC_MODE="threading",
    )
    import run
    from shared.config import Config
    from shared.web.startup import prepare_database

    config = Config.from_env(host="127.0.0.1", port=5000)
    prepare_database(config, upgrade=True)
    return run.create_app(config)


class Kiosk:
    def __init__(self, app):
        self.client = app.test_client()
        self.csrf = CSRF.search(self.client.get("/kiosk/").get_data(as_text=True))[1]
        self.services = self.client.get("/kiosk/api/services").get_json()["services"]

    def take(self, service_id: int) -> int:
        body = {"service_id": service_id, "priority": "none", "idempotency_key": uuid.uuid4().hex}
        answer = self.client.post(
            "/kiosk/api/tickets", json=body, headers={"X-CSRFToken": self.csrf}
        )
        return answer.status_code


class Clerk:
    def __init__(self, app):
        self.client = app.test_client()
        form = dict(LOGIN_FIELDS.findall(self.client.get("/counter/login").get_data(as_text=True)))
        page = self.client.post(
            "/counter/login",
            data={**form, "username": CLERK[0], "password": CLERK[1], "next": ""},
            follow_redirects=True,
        ).get_data(as_text=True)
        self.headers = {"X-CSRFToken": CSRF.search(page)[1]}
        self.counter = int(re.findall(r'data-counter="(\d+)"', page)[0])
        self.post(f"/counter/api/counters/{self.counter}/status", {"status": "open", "reason": ""})

    def post(self, path: str, body: dict | None = None) -> dict:
        answer = self.client.post(path, json=body or {}, headers=self.headers)
        if answer.status_code != 200:
            raise SystemExit(f"POST {path}: {answer.status_code} {answer.get_data(as_text=True)}")
        return answer.get_json()

    def cycle(self, cpu: dict[str, list[float]]) -> None:
        began = time.process_time()
        path = f"/counter/api/counters/{self.counter}/call-next"
        ticket = self.post(path, {"request_id": uuid.uuid4().hex})["ticket"]
        cpu["call"].append(time.process_time() - began)
        if ticket is None:
            raise SystemExit("the queue ran dry: give more taps than cycles")
        for action in ("start", "finish"):
            began = time.process_time()
            self.post(f"/counter/api/tickets/{ticket['id']}/{action}")
            cpu[action].append(time.process_time() - began)


def tap_rounds(kiosk: Kiosk, service_id: int, taps: int) -> list[float]:
    """CPU ms per tap in each of three rounds."""
    rounds = []
    for _ in range(3):
        began = time.process_time()
        codes = [kiosk.take(service_id) for _ in range(taps)]
        if set(codes) != {201}:
            raise SystemExit(f"taps answered {sorted(set(codes))}")
        rounds.append((time.process_time() - began) * 1000 / taps)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--served", type=int, default=10, help="cycles before the measured ones")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds before each cycle")
    parser.add_argument("--profile", help="write a cProfile of one more round here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="antre-bench-"))
    try:
        app = make_app(folder)
        kiosk = Kiosk(app)
        tapped = next(s for s in kiosk.services if s.get("open", True))["id"]
        for _ in range(20):  # what a process keeps, warmed
            kiosk.take(tapped)
        rounds = tap_rounds(kiosk, tapped, args.taps)
        clerk = Clerk(app)
        queued = [s["id"] for s in kiosk.services if s.get("code") in CLERK_SERVICES]
        for index in range((args.cycles + args.served) * 2 + 20):
            kiosk.take(queued[index % len(queued)])
        cpu: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
        for _ in range(args.served):  # the day so far; and what a process keeps, warmed
            clerk.cycle({"call": [], "start": [], "finish": []})
        for _ in range(args.cycles):
            time.sleep(args.pause)
            clerk.cycle(cpu)
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            tap_rounds(kiosk, tapped, max(1, args.taps // 3))
            for _ in range(min(args.cycles, 10)):
                clerk.cycle({"call": [], "start": [], "finish": []})
            profile.disable()
            profile.dump_stats(args.profile)
        report(
            {
                "benchmark": "CPU per request in process",
                "tap_cpu_ms_rounds": [round(r, 2) for r in rounds],
                "tap_cpu_ms": round(min(rounds), 2),
                "cycles": args.cycles,
                "served_before": args.served,
                "pause_seconds": args.pause,
                "cpu_ms_p50": {
                    name: round(statistics.median(values) * 1000, 2) for name, values in cpu.items()
                },
            }
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
