"""Time the report queries on a seeded year (bench/seed_year.py) and print JSON.

    python bench/report_timing.py [--url sqlite:////tmp/antre-year.db] [--repeat 3]

First the roll-ups are built from the ticket log (once, as after an upgrade), then a new log entry
is written and the incremental refresh timed, then each report (ticket figures + SKM) is timed
for a year, a month and a day at every scope. The best of ``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from shared.db import make_engine, make_session_factory  # noqa: E402
from shared.models import Counter, Service, StaffUser, Ticket, TicketLog  # noqa: E402
from shared.reports import Scope, make_period, refresh_rollups, skm_report, ticket_report  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite:////tmp/antre-year.db")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = make_engine(args.url)
    factory = make_session_factory(engine)
    out: dict = {
        "url": args.url,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "date": datetime.now(UTC).date().isoformat(),
    }
    with factory() as session:
        out["tickets"] = session.execute(select(func.count(Ticket.id))).scalar()
        first, last = session.execute(
            select(func.min(Ticket.business_date), func.max(Ticket.business_date))
        ).one()
        seconds, days = timed(lambda: refresh_rollups(session))
        session.commit()
        out["initial_rollup_seconds"] = round(seconds, 2)
        out["initial_rollup_days"] = len(days)
        # One more log entry on the last day: what a report request pays after a busy minute.
        ticket = session.execute(
            select(Ticket).where(Ticket.business_date == last).limit(1)
        ).scalar_one()
        session.add(
            TicketLog(
                ticket_id=ticket.id,
                at=datetime.now(UTC),
                action="note",
                from_status=ticket.status,
                to_status=ticket.status,
            )
        )
        session.commit()
        seconds, days = timed(lambda: refresh_rollups(session))
        session.commit()
        out["incremental_refresh_seconds"] = round(seconds, 3)
        agency = session.execute(select(Service.agency_id).limit(1)).scalar()
        service = session.execute(select(Service.id).limit(1)).scalar()
        counter = session.execute(select(Counter.id).limit(1)).scalar()
        clerk = session.execute(
            select(StaffUser.id).where(StaffUser.role == "clerk").limit(1)
        ).scalar()
    scopes = {
        "mall": Scope("mall"),
        "agency": Scope("agency", agency),
        "service": Scope("service", service),
        "counter": Scope("counter", counter),
        "clerk": Scope("clerk", clerk),
    }
    periods = {
        "year": make_period("custom", first, last),
        "month": make_period("month", last - timedelta(days=20)),
        "day": make_period("day", last),
    }
    results = []
    for pname, period in periods.items():
        for sname, scope in scopes.items():
            best = None
            for _ in range(args.repeat):
                with factory() as session:

                    def both(session=session, period=period, scope=scope):
                        report = ticket_report(session, period, scope)
                        survey = skm_report(session, period, scope)
                        return report, survey

                    seconds, (report, survey) = timed(both)
                best = seconds if best is None else min(best, seconds)
            results.append(
                {
                    "period": pname,
                    "scope": sname,
                    "seconds": round(best, 3),
                    "issued": report.counts["issued"],
                    "respondents": survey.result.respondents,
                }
            )
    out["reports"] = results
    out["slowest_seconds"] = max(r["seconds"] for r in results)
    out["target_met"] = out["slowest_seconds"] < 2.0
    engine.dispose()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
