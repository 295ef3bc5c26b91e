"""A busy hospital morning: 400 outpatients arriving 07:00–09:00, simulated in virtual time.

    python bench/hospital_morning.py [--patients 400] [--seed 2026] [--db /tmp/antre-morning.db]
    python bench/hospital_morning.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

The demo RSUD at a real size (bench/hospital_site.py), seeded by the demo's own code into a fresh
database, then driven by the queue's domain functions with ``now=``: patients take a poli ticket
at the kiosk (JKN 70 %, umum 30 %; the kiosk offers the polis with places left for their payer),
which queues them at registration; every window, room and pharmacy desk calls its next patient
as soon as it is free, starts after a walk to the counter and finishes after a plausible service
time (registration 3–5 min, poli around the service's minutes, pharmacy 4 / 8 min, cashier 3).
Rooms open at 08:00 when the doctors arrive. The poli clerk records the prescription (none 20 %,
non racikan 60 %, racikan 20 %) and the pathway takes each visit on: pharmacy when prescribed,
the cashier for umum patients. Prints per step the mean and p90 wait (call minus queueing) and
the share within the step's target, then checks: no number given twice, every visit ended.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bench.common import machine, percentile  # noqa: E402
from bench.hospital_site import POLIS, hospital_spec, registration_windows  # noqa: E402
from shared import migrate, queue  # noqa: E402
from shared.db import make_engine, make_session_factory  # noqa: E402
from shared.models import Counter, DoctorSession, Service, Site, Ticket, Visit  # noqa: E402
from shared.queue import doctors as doctor_queue  # noqa: E402
from shared.seed import _seed_site  # noqa: E402

WIB = timedelta(hours=7)
WALK = timedelta(minutes=1)  # from the call to the counter
OPENS = {"registration": "07:00", "poli": "08:00", "pharmacy": "07:30", "cashier": "07:30"}
PRESCRIPTIONS = {"none": 20, "non_racikan": 60, "racikan": 20}


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=400)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default="/tmp/antre-hospital-morning.db", help="SQLite file")
    parser.add_argument("--url", default=None, help="a PostgreSQL URL instead (emptied first)")
    parser.add_argument("--jkn-share", type=float, default=0.7)
    parser.add_argument("--jkn-windows", type=int, default=7, help="registration, JKN only")
    parser.add_argument("--umum-windows", type=int, default=3, help="registration, umum only")
    return parser.parse_args(argv)


def a_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def fresh_database(args) -> str:
    if args.url:
        from sqlalchemy import text

        engine = make_engine(args.url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        return args.url
    Path(args.db).unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    return f"sqlite:///{args.db}"


class Morning:
    """The event loop: patients' arrivals and counters' finishes, in virtual time order."""

    def __init__(self, session, site: Site, day: date, rng: random.Random, args):
        self.session, self.site, self.day, self.rng, self.args = session, site, day, rng, args
        self.events: list = []
        self.order = 0
        self.services = {
            s.code: s
            for s in session.execute(select(Service).where(Service.site_id == site.id)).scalars()
        }
        counters = session.execute(select(Counter).where(Counter.site_id == site.id)).scalars()
        self.counters = list(counters)
        self.idle = set()
        # Places the kiosk still offers per (poli, payer): a doctor's session, 24 JKN + 6 umum.
        self.places = defaultdict(int)
        for code, *_ in POLIS:
            for held in doctor_queue.sessions_for_day(session, self.services[code], day):
                self.places[code, "jkn"] += held.quota_jkn
                self.places[code, "umum"] += held.quota_nonjkn
        self.turned_away = self.redirected = 0

    def at(self, hhmm: str) -> datetime:
        hour, minute = map(int, hhmm.split(":"))
        local = datetime(self.day.year, self.day.month, self.day.day, hour, minute, tzinfo=UTC)
        return local - WIB

    def push(self, when: datetime, kind: str, item) -> None:
        self.order += 1
        heapq.heappush(self.events, (when, self.order, kind, item))

    def stage(self, counter: Counter) -> str:
        codes = {s.code for s in counter.services}
        if codes & {"RS-JKN", "RS-UMUM"}:
            return "registration"
        if codes & {"RS-NONRACIK", "RS-RACIK"}:
            return "pharmacy"
        return "cashier" if "RS-BAYAR" in codes else "poli"

    def plan(self) -> None:
        start = self.at("07:00")
        for _ in range(self.args.patients):
            minute = self.rng.triangular(0, 120, 40)  # most come early, the peak before 08:00
            self.push(start + timedelta(minutes=minute), "arrive", None)
        for counter in self.counters:
            self.push(self.at(OPENS[self.stage(counter)]), "free", counter)

    def choose_poli(self, payer: str) -> Service | None:
        weights = {code: share for code, _p, _n, _d, share in POLIS}
        wanted = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        if self.places[wanted, payer] <= 0:
            open_ = [c for c in weights if self.places[c, payer] > 0]
            if not open_:
                return None
            self.redirected += 1
            wanted = self.rng.choice(open_)
        self.places[wanted, payer] -= 1
        return self.services[wanted]

    def arrive(self, now: datetime) -> None:
        payer = "jkn" if self.rng.random() < self.args.jkn_share else "umum"
        poli = self.choose_poli(payer)
        if poli is None:
            self.turned_away += 1
            return
        ticket = queue.issue_ticket(
            self.session, poli.id, payer=payer, now=now, check_availability=False
        )
        self.session.commit()
        self.wake(now, ticket.service_id)

    def wake(self, now: datetime, service_id: int) -> None:
        """The free counters of ``service_id`` look for a patient: a new one is in its queue."""
        for counter in sorted(self.idle, key=lambda c: c.number):
            if any(s.id == service_id for s in counter.services):
                self.idle.discard(counter)
                self.push(now, "free", counter)

    def free(self, counter: Counter, now: datetime) -> None:
        ticket = queue.call_next(self.session, counter, now=now)
        if ticket is None:
            self.session.commit()
            self.idle.add(counter)
            return
        started = now + WALK
        queue.start_ticket(self.session, ticket, now=started)
        self.session.commit()
        self.push(started + self.service_time(counter, ticket), "finish", (counter, ticket))

    def service_time(self, counter: Counter, ticket: Ticket) -> timedelta:
        stage, rng = self.stage(counter), self.rng
        if stage == "registration":
            minutes = rng.uniform(3, 5)
        else:
            minutes = ticket.service.avg_service_minutes * rng.uniform(0.6, 1.4)
        return timedelta(minutes=minutes)

    def finish(self, counter: Counter, ticket: Ticket, now: datetime) -> None:
        prescription = None
        if self.stage(counter) == "poli":
            options = list(PRESCRIPTIONS)
            prescription = self.rng.choices(options, weights=list(PRESCRIPTIONS.values()))[0]
        queue.finish_ticket(self.session, ticket, prescription=prescription, now=now)
        self.session.commit()
        self.push(now, "free", counter)
        following = max(ticket.visit.tickets, key=lambda t: t.id)
        if following.id != ticket.id:
            self.wake(now, following.service_id)

    def run(self) -> None:
        self.plan()
        while self.events:
            now, _order, kind, item = heapq.heappop(self.events)
            if kind == "arrive":
                self.arrive(now)
            elif kind == "free":
                self.free(item, now)
            else:
                self.finish(*item, now)


def step_of(ticket: Ticket) -> str:
    code = ticket.service.code
    names = {"RS-NONRACIK": "farmasi non racikan", "RS-RACIK": "farmasi racikan"}
    names |= {"RS-JKN": "pendaftaran JKN", "RS-UMUM": "pendaftaran umum", "RS-BAYAR": "kasir"}
    return names.get(code, "poli")


def figures(session, site: Site, day: date) -> dict:
    tickets = session.execute(
        select(Ticket).join(Service).where(Service.site_id == site.id, Ticket.business_date == day)
    ).scalars()
    waits, targets = defaultdict(list), {}
    for ticket in tickets:
        step = step_of(ticket)
        targets[step] = ticket.service.wait_target_minutes
        if ticket.called_at is not None:
            waits[step].append((ticket.called_at - ticket.queued_at).total_seconds() / 60)
    order = ["pendaftaran JKN", "pendaftaran umum", "poli"]
    order += ["farmasi non racikan", "farmasi racikan", "kasir"]
    # The minimum standard's outpatient wait: from arrival (the kiosk) until the doctor calls.
    waits["kiosk → poli (Kepmenkes)"] = kiosk_to_doctor(session, day)
    targets["kiosk → poli (Kepmenkes)"] = 60
    order.append("kiosk → poli (Kepmenkes)")
    steps = {}
    for step in order:
        values, target = waits[step], targets.get(step)
        within = sum(v <= target for v in values) / len(values) if target and values else None
        steps[step] = {
            "patients": len(values),
            "mean_wait_min": round(statistics.fmean(values), 1) if values else None,
            "p90_wait_min": round(percentile(values, 0.90), 1) if values else None,
            "target_min": target,
            "within_target": round(within * 100, 1) if within is not None else None,
        }
    return steps


def kiosk_to_doctor(session, day: date) -> list[float]:
    visits = session.execute(select(Visit).where(Visit.business_date == day)).scalars()
    minutes = []
    for visit in visits:
        first = visit.tickets[0]
        poli = next((t for t in visit.tickets if step_of(t) == "poli"), None)
        if poli is not None and poli.called_at is not None:
            minutes.append((poli.called_at - first.queued_at).total_seconds() / 60)
    return minutes


def checks(session, site: Site, day: date) -> dict:
    rows = session.execute(
        select(Ticket.service_id, Ticket.number, Ticket.display_number, Ticket.doctor_session_id)
        .join(Service)
        .where(Service.site_id == site.id, Ticket.business_date == day)
    ).all()
    numbers = [(r.service_id, r.number) for r in rows]
    # A poli's shown number is per doctor's session (C-012: the 12th of that session).
    shown = [(r.service_id, r.doctor_session_id, r.display_number) for r in rows]
    visits = session.execute(select(Visit).where(Visit.business_date == day)).scalars().all()
    open_ = [v.id for v in visits if any(t.status != "done" for t in v.tickets)]
    sessions = session.execute(select(DoctorSession).where(DoctorSession.day == day)).scalars()
    overbooked = [s.id for s in sessions if s.taken_jkn > s.quota_jkn]
    return {
        "tickets": len(rows),
        "visits": len(visits),
        "duplicate_numbers": len(numbers) - len(set(numbers)),
        "duplicate_shown_numbers": len(shown) - len(set(shown)),
        "visits_not_ended": len(open_),
        "sessions_over_quota": len(overbooked),
    }


def main(argv=None) -> int:
    args = arguments(argv)
    if not 1 <= args.patients <= 600:
        raise SystemExit("--patients must be between 1 and 600 (the doctors' places)")
    url = fresh_database(args)
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        windows = registration_windows(args.jkn_windows, args.umum_windows)
        _seed_site(session, hospital_spec(windows), always_open=True, open_counters=True)
        session.commit()
        site = session.execute(select(Site).where(Site.slug == "rsud-bench")).scalar_one()
        day = a_monday()
        morning = Morning(session, site, day, random.Random(args.seed), args)
        session.commit()
        started = time.perf_counter()
        morning.run()
        seconds = time.perf_counter() - started
        last = session.execute(
            select(Ticket.finished_at).where(Ticket.business_date == day)
        ).scalars()
        result = {
            "machine": machine(),
            "database": url.split(":")[0],
            "patients": args.patients,
            "seed": args.seed,
            "registration_windows": len(windows),
            "turned_away": morning.turned_away,
            "redirected_to_another_poli": morning.redirected,
            "last_patient_done_wib": (max(last) + WIB).strftime("%H:%M"),
            "steps": figures(session, site, day),
            "checks": checks(session, site, day),
            "seconds": round(seconds, 1),
        }
    print(json.dumps(result, indent=2))
    c = result["checks"]
    ok = not (c["duplicate_numbers"] or c["duplicate_shown_numbers"] or c["visits_not_ended"])
    return 0 if ok and not c["sessions_over_quota"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
