"""Seed a year of a busy mall (about a million tickets) for the report benchmark.

    python bench/seed_year.py [--url sqlite:////tmp/antre-year.db] [--tickets 1000000]

Migrates the database, seeds the demo mall, then bulk-inserts tickets, their log entries and
survey answers, Monday to Saturday from 08:00 to 15:00 WIB. The data are random (fixed seed) but
shaped like a real day: morning peak, ~85% served, some no-shows, cancellations and transfers.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from shared import migrate  # noqa: E402
from shared.db import make_engine, make_session_factory  # noqa: E402
from shared.models import Counter, Service, SurveyResponse, Ticket, TicketLog, Visit  # noqa: E402
from shared.seed import seed_demo  # noqa: E402

BATCH = 20_000
WIB = timedelta(hours=7)
# Arrival weight per local hour 08..14: the morning rush.
HOURS = {8: 18, 9: 22, 10: 20, 11: 14, 12: 8, 13: 10, 14: 8}


def business_days(last: date, count: int) -> list[date]:
    days, day = [], last
    while len(days) < count:
        if day.weekday() < 6:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/antre-year.db")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=310)
    parser.add_argument("--last-day", default=None, help="ISO date of the last day (yesterday)")
    return parser.parse_args()


def local_time(day: date, rng: random.Random) -> datetime:
    hour = rng.choices(list(HOURS), weights=list(HOURS.values()))[0]
    local = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(3600)
    )
    return local - WIB  # stored in UTC


class Writer:
    """Buffers rows per table and writes them in large executemany batches."""

    def __init__(self, engine):
        self.engine = engine
        self.rows: dict = {Visit: [], Ticket: [], TicketLog: [], SurveyResponse: []}

    def add(self, model, row) -> None:
        self.rows[model].append(row)
        if len(self.rows[model]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self.engine.begin() as conn:
            for model in (Visit, Ticket, TicketLog, SurveyResponse):
                if self.rows[model]:
                    conn.execute(insert(model), self.rows[model])
                    self.rows[model] = []


def seed(url: str, total: int, day_count: int, last_day: date) -> dict:
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo(session)
        session.commit()
        services = session.execute(select(Service)).scalars().all()
        counters = session.execute(select(Counter)).scalars().all()
        by_service = {s.id: [c for c in counters if s in c.services] for s in services}
        plan = [(s.id, s.agency_id, s.avg_service_minutes) for s in services if by_service[s.id]]
    rng = random.Random(2026)
    days = business_days(last_day, day_count)
    per_day = total // len(days)
    writer = Writer(engine)
    ticket_id = log_id = visit_id = survey_id = 0
    started = time.perf_counter()
    for day in days:
        numbers: dict[int, int] = {}
        for _ in range(per_day):
            service_id, agency_id, minutes = rng.choice(plan)
            counter = rng.choice(by_service[service_id])
            numbers[service_id] = number = numbers.get(service_id, 0) + 1
            visit_id += 1
            ticket_id += 1
            issued = local_time(day, rng)
            writer.add(Visit, {"id": visit_id, "business_date": day, "created_at": issued})
            log = [("issue", None, "waiting", issued)]
            fate = rng.random()
            called = issued + timedelta(seconds=rng.randrange(60, 3600))
            start = called + timedelta(seconds=rng.randrange(20, 120))
            end = start + timedelta(seconds=int(rng.uniform(0.4, 2.2) * minutes * 60))
            status, clerk = "done", counter.clerk_id
            if fate < 0.04:
                status, end = "cancelled", called
                log.append(("cancel", "waiting", "cancelled", called))
                called = start = None
            elif fate < 0.09:
                status, end, start = "no_show", called + timedelta(minutes=4), None
                log += [
                    ("call", "waiting", "called", called),
                    ("recall", "called", "called", called + timedelta(minutes=2)),
                    ("no_show", "called", "no_show", end),
                ]
            else:
                status = "transferred" if fate > 0.97 else "done"
                log += [
                    ("call", "waiting", "called", called),
                    ("start", "called", "serving", start),
                    ("finish" if status == "done" else "transfer", "serving", status, end),
                ]
            reached = called is not None
            writer.add(
                Ticket,
                {
                    "id": ticket_id,
                    "visit_id": visit_id,
                    "service_id": service_id,
                    "business_date": day,
                    "number": number,
                    "display_number": f"{number:03d}",
                    "code": f"Y{ticket_id:07d}",
                    "priority": "none",
                    "source": "booking" if rng.random() < 0.2 else "kiosk",
                    "status": status,
                    "counter_id": counter.id if reached else None,
                    "clerk_id": clerk if reached else None,
                    "recall_count": 0,
                    "print_state": "printed",
                    "print_error": "",
                    "boost": 1,
                    "queued_at": issued,
                    "note": "",
                    "issued_at": issued,
                    "called_at": called,
                    "started_at": start,
                    "finished_at": end,
                },
            )
            for action, before, after, moment in log:
                log_id += 1
                writer.add(
                    TicketLog,
                    {
                        "id": log_id,
                        "ticket_id": ticket_id,
                        "at": moment,
                        "action": action,
                        "from_status": before,
                        "to_status": after,
                        "actor_id": clerk if action != "issue" else None,
                        "counter_id": counter.id if reached and action != "issue" else None,
                        "note": "",
                    },
                )
            if status == "done" and rng.random() < 0.2:
                survey_id += 1
                scores = {
                    f"u{i}": rng.choices((1, 2, 3, 4), (2, 8, 50, 40))[0] for i in range(1, 10)
                }
                writer.add(
                    SurveyResponse,
                    {
                        "id": survey_id,
                        "ticket_id": ticket_id,
                        "service_id": service_id,
                        "agency_id": agency_id,
                        "counter_id": counter.id,
                        "clerk_id": clerk,
                        "business_date": day,
                        "submitted_at": end + timedelta(minutes=2),
                        "channel": "ticket",
                        "suggestion": "",
                        **scores,
                    },
                )
    writer.flush()
    engine.dispose()
    return {
        "url": url,
        "days": len(days),
        "first_day": days[0].isoformat(),
        "last_day": days[-1].isoformat(),
        "tickets": ticket_id,
        "log_entries": log_id,
        "survey_responses": survey_id,
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    import json

    args = arguments()
    last = date.fromisoformat(args.last_day) if args.last_day else date.today() - timedelta(days=1)
    print(json.dumps(seed(args.url, args.tickets, args.days, last), indent=2))


if __name__ == "__main__":
    main()
