"""What a ticket costs the server: CPU per ticket against CPU per static file, in one run.

    python -m bench.ticket_cost --kiosks 20 --tickets 2000 --static 2000
    python -m bench.ticket_cost --waiting 0,200,400,600,800,1000 --sample 100 --calls 30

Starts its own ``run.py --demo`` (private SQLite, no rate limits) and reads the server process's
CPU time (utime + stime in /proc/<pid>/stat) around (a) ``--static`` GETs of a static file and
(b) ``--tickets`` tickets from ``--kiosks`` kiosk threads: CPU ms per static request and per
ticket, their ratio, tickets/s, latency and duplicate numbers. With ``--waiting``: one service
(``--service``) is filled to each level in turn; at each level ``--sample`` tickets and
``--calls`` call next → start → finish by one clerk (login form, counter JSON API) are measured.
First, in this process: the SQL statements of one ``take_ticket`` + commit on a demo SQLite file.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

from bench.admin import Admin
from bench.common import report, summary_ms
from bench.local_server import own_server_process
from bench.race_call_next import Desk, set_up_counters
from bench.take_tickets import Kiosk

STATIC = "/static/shared/antre.js"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    """The process's user + system CPU time so far, in ms (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS  # utime, stime (fields 14, 15)


def statements_per_ticket(service_code: str = "KTP") -> int:
    """SQL statements of one ticket (take_ticket + commit) on a fresh demo SQLite file."""
    from sqlalchemy import event, select

    from shared import events, migrate
    from shared.db import make_engine, make_session_factory
    from shared.models import Service
    from shared.queue.taking import take_ticket
    from shared.seed import seed_demo

    with tempfile.TemporaryDirectory(prefix="antre-bench-") as folder:
        url = f"sqlite:///{folder}/antre.db"
        migrate.upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine, events.RecordingPublisher())
        with factory() as session:
            seed_demo(session)
            session.commit()
            service_id = session.execute(
                select(Service.id).where(Service.code == service_code)
            ).scalar_one()
        counted: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
        for _ in range(2):  # the second one: whatever a process caches is warm
            counted.clear()
            with factory() as session:
                take_ticket(session, service_id, idempotency_key=uuid.uuid4().hex)
                session.commit()
        engine.dispose()
        return len(counted)


def static_cost(base: str, pid: int, count: int, threads: int) -> float:
    """CPU ms per static-file GET, ``threads`` clients at once."""

    def client(share: int) -> None:
        http = requests.Session()
        for _ in range(share):
            http.get(base + STATIC, timeout=30).raise_for_status()

    shares = [count // threads + (i < count % threads) for i in range(threads)]
    before = cpu_ms(pid)
    _run([threading.Thread(target=client, args=(n,)) for n in shares])
    return (cpu_ms(pid) - before) / count


def take_many(devices: list[Kiosk], services: list[int], count: int) -> dict:
    """``count`` tickets from the kiosks at once: latencies, numbers, failures, wall time."""
    latencies: list[float] = []
    numbers: list[tuple[int, str]] = []
    failures: Counter = Counter()
    lock = threading.Lock()
    remaining = [count]

    def kiosk(index: int) -> None:
        n = index
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            service_id = services[n % len(services)]
            n += len(devices)
            began = time.perf_counter()
            try:
                answer = devices[index].take(service_id)
            except requests.RequestException as error:
                with lock:
                    failures[type(error).__name__] += 1
                continue
            with lock:
                if answer.status_code == 201:
                    latencies.append(time.perf_counter() - began)
                    numbers.append((service_id, answer.json()["ticket"]["number"]))
                else:
                    failures[str(answer.status_code)] += 1

    began = time.perf_counter()
    _run([threading.Thread(target=kiosk, args=(i,)) for i in range(len(devices))])
    return {
        "wall": time.perf_counter() - began,
        "latencies": latencies,
        "numbers": numbers,
        "failures": dict(failures),
    }


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def ticket_cost(base: str, pid: int, args) -> dict:
    listing = Kiosk(base).services()
    services = [s["id"] for s in listing if s["open"] and s["quota_left"] is None]
    devices = [Kiosk(base) for _ in range(args.kiosks)]
    static_ms = static_cost(base, pid, args.static, args.kiosks)
    before = cpu_ms(pid)
    taken = take_many(devices, services, args.tickets)
    tickets = len(taken["numbers"])
    ticket_ms = (cpu_ms(pid) - before) / max(1, tickets)
    return {
        "static_requests": args.static,
        "cpu_ms_per_static": round(static_ms, 3),
        "tickets": tickets,
        "cpu_ms_per_ticket": round(ticket_ms, 3),
        "ticket_vs_static": round(ticket_ms / static_ms, 1) if static_ms else None,
        "tickets_per_second": round(tickets / taken["wall"], 1),
        "latency": summary_ms(taken["latencies"]),
        "duplicate_numbers": tickets - len(set(taken["numbers"])),
        "failures": taken["failures"],
        "targets": {"ticket_vs_static": 4, "p95_ms": 50, "duplicate_numbers": 0},
    }


def serve(desk: Desk, count: int) -> int:
    """Up to ``count`` call next → start → finish at the desk's counter; how many were called."""
    called = 0
    for _ in range(count):
        path = f"/counter/api/counters/{desk.counter_id}/call-next"
        answer = desk._post(path, {"request_id": uuid.uuid4().hex})
        if answer is None or answer["ticket"] is None:
            continue
        called += 1
        for action in ("start", "finish"):
            desk._post(f"/counter/api/tickets/{answer['ticket']['id']}/{action}", {})
    return called


def waiting_in(base: str, service_id: int) -> int:
    listing = Kiosk(base).services()
    return next(s["waiting"] for s in listing if s["id"] == service_id)


def cost_by_queue_length(base: str, pid: int, args) -> dict:
    listing = Kiosk(base).services()
    service = next((s for s in listing if s["code"] == args.service), None)
    if service is None or not service["open"] or service["quota_left"] is not None:
        raise SystemExit(f"service {args.service!r} is not open without a quota on this server")
    agency_id = service["agency"]["id"]
    [(username, counter_id)] = set_up_counters(Admin(base), agency_id, service["id"], 1)
    desk = Desk(base, username, counter_id)
    devices = [Kiosk(base) for _ in range(args.kiosks)]
    levels = []
    for level in (int(n) for n in args.waiting.split(",")):
        missing = level - waiting_in(base, service["id"])
        if missing > 0:
            take_many(devices, [service["id"]], missing)
        waiting = waiting_in(base, service["id"])
        before = cpu_ms(pid)
        taken = take_many(devices, [service["id"]], args.sample)
        per_ticket = (cpu_ms(pid) - before) / max(1, len(taken["numbers"]))
        before = cpu_ms(pid)
        calls = serve(desk, args.calls)
        per_call = (cpu_ms(pid) - before) / max(1, calls)
        levels.append(
            {
                "waiting": waiting,
                "cpu_ms_per_ticket": round(per_ticket, 3),
                "cpu_ms_per_call": round(per_call, 3),
                "ticket_p95_ms": summary_ms(taken["latencies"])["p95_ms"],
                "calls": calls,
                "errors": dict(desk.errors),
            }
        )
    desk.close()
    first, last = levels[0], levels[-1]
    return {
        "service": args.service,
        "levels": levels,
        "ticket_growth": round(last["cpu_ms_per_ticket"] / first["cpu_ms_per_ticket"], 2),
        "call_growth": round(last["cpu_ms_per_call"] / first["cpu_ms_per_call"], 2),
        "targets": {"ticket_growth": 1.2, "call_growth": 1.2},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--static", type=int, default=2000, help="static-file GETs")
    parser.add_argument("--waiting", help="queue lengths, e.g. 0,200,400,600,800,1000")
    parser.add_argument("--service", default="KTP", help="the one queue of --waiting")
    parser.add_argument("--sample", type=int, default=100, help="tickets measured per level")
    parser.add_argument("--calls", type=int, default=30, help="calls measured per level")
    args = parser.parse_args()
    result = {"benchmark": "server CPU per ticket", "statements": statements_per_ticket()}
    with own_server_process() as (base, process):
        if args.waiting:
            result.update(cost_by_queue_length(base, process.pid, args))
        else:
            result.update(ticket_cost(base, process.pid, args))
    report(result)


if __name__ == "__main__":
    main()
