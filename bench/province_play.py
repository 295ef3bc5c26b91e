"""The actors of bench/province.py: the province's sites as read from the database, kiosks taking
tickets with each site's device token, clerks calling at their counters, process memory.

Only public interfaces for the play itself (POST /kiosk/api/tickets with X-Kiosk-Token, the
counter's sign-in form and JSON API); the database is read for the plan (which sites, zones,
services, counters) and for the checks afterwards (bench/province.py).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import threading
import time
import uuid
from collections import Counter as Tally
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import select

from bench.day_clients import Staff
from bench.province_seed import MAIN_ZONE, clerk_username, kiosk_token
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Display, Service, Site


@dataclass
class ProvinceSite:
    index: int  # position in the plan
    id: int
    slug: str
    zone: int  # its "Lobi utama" display: every agency of the site
    services: list[int]
    counters: list[tuple[int, str]]  # (counter id, its clerk), first of each agency, second, …


def read_province(database_url: str) -> list[ProvinceSite]:
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_session_factory(engine)() as session:
            query = select(Site).where(Site.slug.like("prov-%")).order_by(Site.slug)
            found = []
            for site in session.execute(query).scalars():
                zone = session.execute(
                    select(Display.id).where(Display.site_id == site.id, Display.name == MAIN_ZONE)
                ).scalar_one()
                services = session.execute(
                    select(Service.id).where(Service.site_id == site.id).order_by(Service.id)
                ).scalars()
                counters = session.execute(
                    select(Counter).where(Counter.site_id == site.id).order_by(Counter.number)
                ).scalars()
                seen: Tally = Tally()
                ranked = []
                for counter in counters:
                    ranked.append((seen[counter.agency_id], counter.number, counter.id))
                    seen[counter.agency_id] += 1
                ordered = [(cid, clerk_username(site.slug, n)) for _, n, cid in sorted(ranked)]
                found.append(
                    ProvinceSite(len(found), site.id, site.slug, zone, list(services), ordered)
                )
            return found
    finally:
        engine.dispose()


class Kiosks:
    """Threads taking tickets, each ticket at a random site and service of it, with that site's
    kiosk token; on a schedule (``seconds`` for all) or, with seconds 0, as fast as they can."""

    def __init__(self, urls: list[str], sites: list[ProvinceSite], threads: int, seed: int = 14):
        self.urls, self.sites, self.threads = urls, sites, max(1, threads)
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.taken: list[dict] = []  # {site, service, code}
        self.latencies: list[float] = []
        self.failures: Tally = Tally()

    def plan(self, count: int, per_site: bool = False) -> list[tuple[ProvinceSite, int]]:
        """(site, service) per ticket: random, or with per_site the sites in turn."""
        chosen = []
        for i in range(count):
            site = self.sites[i % len(self.sites)] if per_site else self.random.choice(self.sites)
            chosen.append((site, self.random.choice(site.services)))
        return chosen

    def run(
        self, wanted: list[tuple[ProvinceSite, int]], seconds: float = 0, limit: float = 600
    ) -> float:
        """Take the wanted tickets (none begun after ``limit`` seconds); the wall time from the
        first request to the last answer."""
        cursor = iter(range(len(wanted)))
        began = time.monotonic()
        deadline = began + seconds if seconds else None
        stop = began + limit

        def kiosk(index: int) -> None:
            http = requests.Session()
            base = self.urls[index % len(self.urls)]
            while True:
                with self.lock:
                    k = next(cursor, None)
                if k is None or time.monotonic() > stop:
                    return
                if deadline is not None:
                    due = began + k * seconds / len(wanted)
                    if due > deadline:
                        return
                    time.sleep(max(0.0, due - time.monotonic()))
                self.take(http, base, *wanted[k])

        threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(self.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - began

    def take(self, http: requests.Session, base: str, site: ProvinceSite, service: int) -> None:
        body = {"service_id": service, "priority": "none", "idempotency_key": uuid.uuid4().hex}
        headers = {"X-Kiosk-Token": kiosk_token(site.slug)}
        started = time.monotonic()
        try:
            answer = http.post(f"{base}/kiosk/api/tickets", json=body, headers=headers, timeout=60)
        except requests.RequestException as error:
            with self.lock:
                self.failures[type(error).__name__] += 1
            return
        elapsed = time.monotonic() - started
        with self.lock:
            if answer.status_code != 201:
                self.failures[str(answer.status_code)] += 1
                return
            ticket = answer.json()["ticket"]
            self.latencies.append(elapsed)
            self.taken.append({"site": site.index, "service": service, "code": ticket["code"]})


@dataclass
class Call:
    ticket_id: int
    site: int  # ProvinceSite.index
    began: float  # time.monotonic() just before the call-next request
    round_trip: float


class Clerks:
    """One thread per active counter, signed in as its clerk: call next, (the citizen at the
    desk for ``serve_seconds``) start, finish; a short wait when nobody is waiting."""

    def __init__(self, urls: list[str], desks: list[tuple[ProvinceSite, int, str]]):
        self.desks = desks
        self.staff = [Staff(urls[i % len(urls)], user) for i, (_s, _c, user) in enumerate(desks)]
        self.calls: list[Call] = []
        self.failures: Tally = Tally()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self, serve_seconds: float, idle_seconds: float = 0.5) -> None:
        for staff, (site, counter, _user) in zip(self.staff, self.desks, strict=True):
            args = (staff, site, counter, serve_seconds, idle_seconds)
            self.threads.append(threading.Thread(target=self.desk, args=args))
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def desk(self, staff: Staff, site, counter: int, serve_seconds, idle_seconds) -> None:
        current = None  # a called ticket not finished yet (its start or finish failed)
        while not self.stop.is_set():
            try:
                if current is not None:
                    self.serve(staff, current)
                    current = None
                began = time.monotonic()
                ticket = staff.call_next(counter)
                round_trip = time.monotonic() - began
                if ticket is None:
                    self.stop.wait(idle_seconds)
                    continue
                current = ticket["id"]
                with self.lock:
                    self.calls.append(Call(current, site.index, began, round_trip))
                self.stop.wait(serve_seconds)
                self.serve(staff, current)
                current = None
            except (RuntimeError, requests.RequestException) as error:
                kind = failure_kind(error)
                with self.lock:
                    self.failures[kind] += 1
                self.stop.wait(idle_seconds)
        if current is not None:  # leave the counter free
            with contextlib.suppress(RuntimeError, requests.RequestException):
                self.serve(staff, current)

    @staticmethod
    def serve(staff: Staff, ticket_id: int) -> None:
        try:
            staff.act(ticket_id, "start")
        except RuntimeError as error:
            if " 409 " not in str(error):  # already started: finishing is enough
                raise
        staff.act(ticket_id, "finish")


def failure_kind(error: Exception) -> str:
    """ "POST /counter/api/tickets/12/start: 503 {"error":"database_unavailable",…}" →
    "POST /counter/api/tickets/N/start: 503 database_unavailable": one line per kind."""
    text = str(error)
    code = re.search(r'"error": ?"([a-z_]+)"', text)
    head = re.sub(r"/\d+", "/N", text.split(" {")[0])[:80]
    return f"{type(error).__name__}: {head}" + (f" {code[1]}" if code else "")


def rss_mb(pid: int, key: str = "VmRSS") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def server_processes() -> dict[str, int]:
    """{label: pid} of the processes to weigh: each gunicorn worker (child of a master named in
    BENCH_SERVER_PIDS, as bench/cluster.py sets it) and nginx's master and worker."""
    found = {}
    masters = [int(p) for p in os.environ.get("BENCH_SERVER_PIDS", "").split(",") if p]
    for n, master in enumerate(masters, start=1):
        for worker in children(master):
            found[f"app {n} worker {worker}"] = worker
    nginx = os.environ.get("BENCH_NGINX_PID")
    if nginx:
        found[f"nginx master {nginx}"] = int(nginx)
        for worker in children(int(nginx)):
            found[f"nginx worker {worker}"] = worker
    return found


class MemoryWatch:
    """VmRSS of the server processes, sampled every ``every`` seconds in a thread."""

    def __init__(self, pids: dict[str, int], every: float = 2.0):
        self.pids, self.every = pids, every
        self.peak: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def snapshot(self, key: str = "VmRSS") -> dict[str, float | None]:
        return {label: rss_mb(pid, key) for label, pid in self.pids.items()}

    def run(self) -> None:
        while not self.stop.wait(self.every):
            for label, mb in self.snapshot().items():
                if mb is not None:
                    self.peak[label] = max(mb, self.peak.get(label, 0.0))

    def start(self) -> MemoryWatch:
        self.thread.start()
        return self

    def finish(self) -> dict[str, float]:
        self.stop.set()
        self.thread.join()
        return self.peak
