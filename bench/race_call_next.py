"""Clerks racing "call next" on one queue: no ticket called twice, every ticket called once.

    python -m bench.race_call_next [--url http://127.0.0.1:5000 ...] --clerks 10 --tickets 1000

Without --url the script starts its own ``run.py`` (private SQLite, demo data). Set-up goes
through the public interfaces only: the mall admin adds ``--clerks`` counters serving only
``--service`` and a clerk for each (admin pages), the kiosk API issues ``--tickets`` tickets to
that service, then every clerk signs in through the login form, opens their counter and loops
call next → start → finish (the console's JSON API with its CSRF token) until the queue answers
empty. Several --url (processes sharing one database) spread the clerks round-robin.
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from bench.admin import Admin
from bench.common import report, summary_ms
from bench.day_clients import Staff
from bench.local_server import check_loopback, own_server
from bench.take_tickets import Kiosk

PASSWORD = "race-bench-123"


def set_up_counters(admin: Admin, agency_id: int, service_id: int, clerks: int) -> list[tuple]:
    """``clerks`` new counters serving only the service, each with a new clerk: (user, id)."""
    numbers = [int(n) for n, _ in admin.rows("counters") if n.isdigit()]
    first = max(numbers, default=0) + 1
    if first + clerks > 1000:
        raise SystemExit("no free counter numbers left (1..999): use a fresh database")
    tag = uuid.uuid4().hex[:6]
    made = []
    for number in range(first, first + clerks):
        admin.submit(
            "/counter/admin/counters/new",
            {
                "agency_id": agency_id,
                "number": number,
                "name": f"Race {number}",
                "zone": "",
                "services": [service_id],
            },
        )
        username = f"race{tag}{number}"
        admin.submit(
            "/counter/admin/staff/new",
            {
                "username": username,
                "name": f"Race clerk {number}",
                "role": "clerk",
                "agency_id": agency_id,
                "password": PASSWORD,
                "active": "1",
            },
        )
        made.append((username, number))
    ids = {int(n): i for n, i in admin.rows("counters") if n.isdigit()}
    return [(username, ids[number]) for username, number in made]


def issue(urls: list[str], service_id: int, tickets: int, kiosks: int = 4) -> list[str]:
    """Issue the tickets through the kiosk API; their codes (unique for ever)."""

    def one_kiosk(index: int) -> list[str]:
        kiosk = Kiosk(urls[index % len(urls)])
        ids = []
        for _ in range(index, tickets, kiosks):
            answer = kiosk.take(service_id)
            if answer.status_code != 201:
                raise SystemExit(f"the kiosk refused a ticket: {answer.status_code} {answer.text}")
            ids.append(answer.json()["ticket"]["code"])
        return ids

    with ThreadPoolExecutor(kiosks) as pool:
        return [i for ids in pool.map(one_kiosk, range(kiosks)) for i in ids]


class Desk:
    """One clerk at one counter, calling until the queue is empty."""

    def __init__(self, base: str, username: str, counter_id: int):
        self.clerk = Staff(base, username, PASSWORD)
        self.counter_id = counter_id
        self.clerk.set_status(counter_id, "open")
        self.called: list[str] = []
        self.latencies: list[float] = []
        self.empty = 0
        self.errors: Counter = Counter()

    def _post(self, path: str, body: dict):
        answer = self.clerk.http.post(f"{self.clerk.base}{path}", json=body, timeout=60)
        if answer.status_code != 200:
            code = answer.json().get("error", {}).get("code", "") if answer.content else ""
            self.errors[f"{path.rsplit('/', 1)[-1]} {answer.status_code} {code}".strip()] += 1
            return None
        return answer.json()

    def work(self, start: threading.Barrier, max_errors: int = 50) -> None:
        start.wait()
        while sum(self.errors.values()) < max_errors:
            path = f"/counter/api/counters/{self.counter_id}/call-next"
            began = time.perf_counter()
            answer = self._post(path, {"request_id": uuid.uuid4().hex})
            if answer is None:
                continue
            self.latencies.append(time.perf_counter() - began)
            ticket = answer["ticket"]
            if ticket is None:
                self.empty += 1
                return  # every ticket was issued before the race: empty means done
            self.called.append(ticket["code"])
            for action in ("start", "finish"):
                for _attempt in range(3):  # a failed step is retried, else the counter stays busy
                    if self._post(f"/counter/api/tickets/{ticket['id']}/{action}", {}) is not None:
                        break

    def close(self) -> None:
        self.clerk.set_status(self.counter_id, "closed")


def race(urls: list[str], args) -> dict:
    admin = Admin(urls[0])
    listing = Kiosk(urls[0]).services()
    service = next((s for s in listing if s["code"] == args.service), None)
    if service is None or not service["open"] or service["quota_left"] is not None:
        raise SystemExit(f"service {args.service!r} is not open without a quota on this server")
    agency_id = service["agency"]["id"]
    accounts = set_up_counters(admin, agency_id, service["id"], args.clerks)
    desks = [Desk(urls[i % len(urls)], u, c) for i, (u, c) in enumerate(accounts)]
    began = time.perf_counter()
    issued = issue(urls, service["id"], args.tickets)
    issuing = time.perf_counter() - began

    barrier = threading.Barrier(len(desks))
    threads = [threading.Thread(target=d.work, args=(barrier,)) for d in desks]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for desk in desks:
        desk.close()

    called = Counter(i for d in desks for i in d.called)
    issued_set = set(issued)
    errors = sum((d.errors for d in desks), Counter())
    checks = {
        "called_twice": sorted(i for i, n in called.items() if n > 1),
        "issued_not_called": len(issued_set - set(called)),
        "called_not_issued_here": len(set(called) - issued_set),  # earlier runs' leftovers
    }
    return {
        "benchmark": "clerks racing call next",
        "urls": urls,
        "service": args.service,
        "clerks": len(desks),
        "tickets_issued": len(issued),
        "issuing_seconds": round(issuing, 2),
        "calls": sum(called.values()),
        "calls_per_clerk": [len(d.called) for d in desks],
        "race_seconds": round(wall, 2),
        "tickets_per_second": round(sum(called.values()) / wall, 1),
        "call_latency": summary_ms([s for d in desks for s in d.latencies]),
        "empty_answers": sum(d.empty for d in desks),
        "errors": dict(errors),
        **checks,
        "ok": not checks["called_twice"] and not checks["issued_not_called"],
        "targets": {"called_twice": 0, "issued_not_called": 0},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="repeat for several processes")
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--service", default="KTP", help="the service code of the one queue")
    args = parser.parse_args()
    with ExitStack() as stack:
        urls = args.url or [stack.enter_context(own_server())]
        check_loopback(*urls)
        result = race(urls, args)
    report(result)
    if not result["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
