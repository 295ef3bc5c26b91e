"""Time the sites comparison (and the regional dashboard) over a province: 100 sites, a month.

    python bench/regional_reports.py [--sites 100] [--repeat 5] [--sqlite /tmp/antre-regional.db]

Seeds a fresh, migrated database with ``--sites`` sites in WIB, WITA and WIT, each with three
agencies of two services, two counters (one clerk each) per service, and a month (Monday to
Saturday) of roll-up rows as shared.reports.rollup writes them: report_daily per service,
counter, clerk, source and arrival hour 08..15; report_duration per service, counter, clerk and
minute of waiting and service time, from simulated tickets (about 670 per site and day);
about 30 survey answers per site and day (with their tickets). For the dashboard, 20
counters, 3 kiosks and ~100 tickets of today per site.

Then times ``compare_sites`` (reads only, as the page does: the report job refreshes) and
``regional_overview``: the first run and the best of ``--repeat``. SQLite always; PostgreSQL too
when ANTRE_TEST_POSTGRES_URL is set (in a schema of its own, dropped afterwards). Prints JSON.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.common import machine, report  # noqa: E402
from shared import migrate, timeutil  # noqa: E402
from shared.db import make_engine, make_session_factory  # noqa: E402
from shared.models import (  # noqa: E402
    Agency,
    Counter,
    Kiosk,
    ReportDaily,
    ReportDuration,
    Service,
    Site,
    SurveyResponse,
    Ticket,
    Visit,
)
from shared.regional import regional_overview  # noqa: E402
from shared.regional_reports import compare_sites  # noqa: E402
from shared.reports import make_period  # noqa: E402

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
KINDS = ("mpp", "hospital", "puskesmas", "mobile")
MONTH = date(2026, 11, 1)
BATCH = 20_000


def month_days() -> list[date]:
    period = make_period("month", MONTH)
    return [d for d in period.dates() if d.weekday() < 6]


class Bulk:
    """Core inserts in batches (the ORM would take minutes for a million rows)."""

    def __init__(self, session, model):
        self.session, self.model, self.rows, self.count = session, model, [], 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.session.execute(insert(self.model), self.rows)
            self.count += len(self.rows)
            self.rows = []


def seed_places(session, sites: int) -> list[dict]:
    """Sites, agencies, services, counters and kiosks; the ids the roll-ups refer to."""
    places, counter_no = [], 0
    for n in range(sites):
        site = Site(
            slug=f"site-{n + 1}",
            name=f"Lokasi {n + 1:03d}",
            kind=KINDS[n % len(KINDS)],
            timezone=ZONES[n % len(ZONES)],
            opening_hours={str(d): ["07:30", "16:00"] for d in range(6)},
            skm_weight=("exact", "0.11")[n % 2],
        )
        session.add(site)
        session.flush()
        services = []
        for a in range(3):
            agency = Agency(site_id=site.id, name=f"Unit {a + 1}", short_name=f"U{a + 1}")
            session.add(agency)
            session.flush()
            for s in range(2):
                service = Service(
                    agency_id=agency.id,
                    code=f"S{a}{s}",
                    name=f"Layanan {a}{s}",
                    prefix=f"{chr(65 + a)}{s}",
                )
                session.add(service)
                session.flush()
                services.append((agency.id, service.id))
        counters = []
        for c in range(20):
            counter_no += 1
            agency_id = services[c % len(services)][0]
            counters.append(
                {
                    "site_id": site.id,
                    "agency_id": agency_id,
                    "number": c + 1,
                    "name": f"Loket {c + 1}",
                    "status": ("open", "open", "paused", "closed")[c % 4],
                }
            )
        session.execute(insert(Counter), counters)
        session.execute(
            insert(Kiosk),
            [
                {
                    "site_id": site.id,
                    "name": f"Kios {site.id}-{k}",
                    "token_hash": f"bench-{site.id}-{k}",
                    "agency_ids": [],
                    "printer_state": ("online", "online", "paper_out")[k],
                }
                for k in range(3)
            ],
        )
        places.append({"site": site.id, "tz": site.timezone, "services": services})
    session.flush()
    return places


def seed_month(session, places: list[dict], rng: random.Random) -> dict:
    daily, durations = Bulk(session, ReportDaily), Bulk(session, ReportDuration)
    visits, tickets, surveys = (
        Bulk(session, Visit),
        Bulk(session, Ticket),
        Bulk(session, SurveyResponse),
    )
    ticket_id = session.execute(select(func.coalesce(func.max(Ticket.id), 0))).scalar() + 1
    for day in month_days():  # day by day, as the roll-up writes them
        for place in places:
            for agency_id, service_id in place["services"]:
                for c in range(2):
                    counter_id = 10_000 + service_id * 2 + c  # ids only: the roll-ups keep ints
                    clerk_id = 50_000 + service_id * 2 + c
                    key = {
                        "business_date": day,
                        "agency_id": agency_id,
                        "service_id": service_id,
                        "counter_id": counter_id,
                        "clerk_id": clerk_id,
                    }
                    _counter_day(key, day, rng, daily, durations)
            _surveys(place, day, rng, ticket_id, visits, tickets, surveys)
            ticket_id += 30
    for bulk in (daily, durations, visits, tickets, surveys):
        bulk.flush()
    return {
        "report_daily": daily.count,
        "report_duration": durations.count,
        "survey_response": surveys.count,
    }


def _counter_day(key: dict, day: date, rng: random.Random, daily: Bulk, durations: Bulk) -> None:
    """One counter's day: 1..6 tickets per arrival hour and source, each with a waiting time
    (exponential, mean 12 min) and, if served (5 in 6), a service time (2 + exponential 6 min),
    written as the roll-up writes them: sums per hour and source, a histogram per minute."""
    waits: dict[int, int] = {}
    services: dict[int, int] = {}
    for hour in range(8, 16):
        for source in ("kiosk", "booking"):
            n = rng.randint(1, 6)
            row = dict.fromkeys(
                ("served", "no_show", "wait_seconds", "timed", "service_seconds"), 0
            )
            row["within_standard"] = 0
            for _ in range(n):
                wait = int(rng.expovariate(1 / 720))
                row["wait_seconds"] += wait
                waits[wait // 60] = waits.get(wait // 60, 0) + 1
                if rng.random() < 1 / 6:
                    row["no_show"] += 1
                    continue
                service = int(120 + rng.expovariate(1 / 360))
                row["served"] += 1
                row["timed"] += 1
                row["service_seconds"] += service
                row["within_standard"] += service <= 900
                services[service // 60] = services.get(service // 60, 0) + 1
            daily.add(
                {
                    **key,
                    "weekday": day.weekday(),
                    "hour": hour,
                    "source": source,
                    "issued": n,
                    "arrived": n,
                    "waited": n,
                    **row,
                }
            )
    for kind, histogram in (("wait", waits), ("service", services)):
        for minutes, tickets in histogram.items():
            durations.add({**key, "kind": kind, "minutes": minutes, "tickets": tickets})


def _surveys(place, day, rng, first_id, visits, tickets, surveys) -> None:
    """30 rated tickets of the site that day (the survey table refers to its tickets)."""
    at = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
    for i in range(30):
        agency_id, service_id = place["services"][i % len(place["services"])]
        tid = first_id + i
        visits.add({"id": tid, "business_date": day, "created_at": at})
        tickets.add(
            {
                "id": tid,
                "visit_id": tid,
                "service_id": service_id,
                "business_date": day,
                "number": i + 1,
                "display_number": f"B{i + 1:03d}",
                "code": f"bench{tid}",
                "status": "done",
                "issued_at": at,
                "queued_at": at,
            }
        )
        scores = {f"u{n}": rng.choice((3, 3, 4, 4, 4, 2)) for n in range(1, 10)}
        surveys.add(
            {
                "ticket_id": tid,
                "service_id": service_id,
                "agency_id": agency_id,
                "business_date": day,
                "submitted_at": at,
                **scores,
            }
        )


def seed_today(session, places: list[dict], now: datetime, rng: random.Random) -> int:
    """About 100 tickets of today per site, each on its own business day."""
    visits, tickets = Bulk(session, Visit), Bulk(session, Ticket)
    tid = session.execute(select(func.max(Ticket.id))).scalar() + 1
    for place in places:
        day = timeutil.business_date(now, place["tz"])
        for i in range(rng.randint(80, 120)):
            _, service_id = place["services"][i % len(place["services"])]
            issued = now - timedelta(minutes=rng.randint(1, 90))
            visits.add({"id": tid, "business_date": day, "created_at": issued})
            tickets.add(
                {
                    "id": tid,
                    "visit_id": tid,
                    "service_id": service_id,
                    "business_date": day,
                    "number": 1000 + i,
                    "display_number": f"T{i:03d}",
                    "code": f"today{tid}",
                    "status": rng.choice(("waiting", "waiting", "called", "serving", "done")),
                    "issued_at": issued,
                    "queued_at": issued,
                }
            )
            tid += 1
    visits.flush()
    tickets.flush()
    return tickets.count


def best_of(fn, repeat: int) -> dict:
    times = []
    for _ in range(repeat + 1):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"first_seconds": round(times[0], 3), "best_seconds": round(min(times[1:]), 3)}


def run(url: str, sites: int, repeat: int) -> dict:
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rng = random.Random(14)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with factory() as session:
        places = seed_places(session, sites)
        rows = seed_month(session, places, rng)
        rows["tickets_today"] = seed_today(session, places, now, rng)
        session.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:  # what autovacuum does within a minute of the bulk load
            conn.execute(text("ANALYZE"))
            conn.commit()
    seeded = time.perf_counter() - started
    period = make_period("month", MONTH)
    figures = []

    def compare():
        with factory() as session:
            figures[:] = compare_sites(session, period)
            session.commit()

    def dashboard():
        with factory() as session:
            regional_overview(session, now)

    result = {
        "backend": make_url(url).get_backend_name(),
        "sites": sites,
        "business_days": len(month_days()),
        "rows": rows,
        "seed_seconds": round(seeded, 1),
        "compare_sites_month": best_of(compare, repeat),
        "regional_overview_now": best_of(dashboard, repeat),
    }
    result["compared_sites"] = len(figures)
    result["issued_in_month"] = sum(f.issued for f in figures)
    result["target_met"] = result["compare_sites_month"]["first_seconds"] < 2.0
    engine.dispose()
    return result


def postgres_run(base: str, sites: int, repeat: int) -> dict:
    schema = f"antre_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        return run(url.render_as_string(hide_password=False), sites, repeat)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", default="/tmp/antre-regional.db")
    args = parser.parse_args()
    Path(args.sqlite).unlink(missing_ok=True)
    results = [run(f"sqlite:///{args.sqlite}", args.sites, args.repeat)]
    if os.environ.get("ANTRE_TEST_POSTGRES_URL"):
        results.append(postgres_run(os.environ["ANTRE_TEST_POSTGRES_URL"], args.sites, args.repeat))
    report({"runs": results, "machine_of_run": machine()["platform"]})


if __name__ == "__main__":
    main()
