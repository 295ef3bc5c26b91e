"""A busy day at the mall, compressed, played against a running Antre from the outside.

    export ANTRE_DATABASE_URL=sqlite:////tmp/x/antre.db ANTRE_RATE_LIMITS=0
    python run.py --demo --port 5099
    python bench/day.py --url http://127.0.0.1:5099 --visitors 3000 --minutes 6

Visitors arrive on a weekday curve (a morning peak, a lunch dip, an afternoon bump) from 08:00
to 15:00, take tickets at the kiosk API (some in a priority group), clerks sign in through the
login form and call, serve, transfer (Dukcapil → BPJS Kesehatan), skip no-shows after their
recalls and take a lunch break; some citizens answer the survey; lobby TVs (Socket.IO /display)
count every ticket.called. Some visitors booked ahead: before the day an admin adds today's slots
at the clock times they will come (the counter's admin form), they book through the booking API,
and on the day most check in at the kiosk, some at a clerk's console, a few never come. At closing
the clerks cancel whoever is still waiting. Then it checks, from the outside only: every ticket in a
final state, no number given twice, no ticket called by two counters, every call seen by every
TV that shows it, every checked-in booking holding its one ticket and no no-show's booking one,
and the day's report (CSV export, arrivals by source too) equal to what the simulation counted.
Bounded in count and time; loopback only. Prints one JSON summary; exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, summary_ms  # noqa: E402
from bench.day_alerts import Gateway, OptIn  # noqa: E402
from bench.day_alerts import report as alerts_report  # noqa: E402
from bench.day_bookings import Bookings  # noqa: E402
from bench.day_clients import Staff, Television  # noqa: E402
from bench.day_load import request_seconds  # noqa: E402
from bench.day_people import CLERKS_BY_AGENCY, Day, final_checks  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--visitors", type=int, default=3000)
    parser.add_argument("--minutes", type=float, default=6.0, help="wall-clock length of 08-15")
    parser.add_argument("--max-seconds", type=float, default=None, help="hard stop (3× minutes)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--booked-share", type=float, default=0.05, help="visitors who booked")
    parser.add_argument("--counter-checkin-share", type=float, default=0.2)
    parser.add_argument("--booked-no-show-share", type=float, default=0.1)
    parser.add_argument("--priority-share", type=float, default=0.12)
    parser.add_argument("--transfer-share", type=float, default=0.08)
    parser.add_argument("--no-show-share", type=float, default=0.04)
    parser.add_argument("--survey-share", type=float, default=0.3)
    parser.add_argument(
        "--alerts", type=float, default=0.0, help="share of kiosk visitors opting in to WhatsApp"
    )
    parser.add_argument(
        "--gateway-port",
        type=int,
        default=5198,
        help="the fake gateway's port (the server's ANTRE_NOTIFY_GATEWAY_URL)",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if urlparse(args.url).hostname not in LOOPBACK:
        raise SystemExit("the day is played only against a server on this machine (loopback)")
    if not 1 <= args.visitors <= 20_000:
        raise SystemExit("--visitors must be between 1 and 20000")
    base = args.url.rstrip("/")
    max_seconds = args.max_seconds or max(60.0, args.minutes * 60 * 3)
    admin = Staff(base, "admin")
    admin.wait_for_current_report()
    before = admin.report()
    tvs = [Television(base, zone) for zone in (1, 2, 3)]
    day = Day(base, args, random.Random(args.seed))
    bookings = Bookings(base, admin, day, CLERKS_BY_AGENCY)
    day.on_booked = bookings.arrive
    gateway = optin = None
    if args.alerts > 0:
        gateway = Gateway(args.gateway_port)
        optin = day.on_ticket = OptIn(base, args.alerts, random.Random(args.seed + 1))
    day.calibrate(request_seconds(admin, 1))
    # The slots are at the clock times the booked will come: plan them on a start a little
    # ahead, time for the admin forms, the bookings and the clerks' sign-ins.
    starts_at = time.time() + 8 + 0.08 * args.visitors * args.booked_share
    booked = bookings.prepare(starts_at)
    day.run(starts_at, max_seconds)
    played = time.monotonic() - day.start
    time.sleep(1.0)  # the last events are in flight
    if gateway is not None:
        gateway.settle()
    admin.wait_for_current_report()
    after = admin.report()
    checks = final_checks(base, day, tvs, before, after)
    checks["bookings_checked_in"] = bookings.checks()
    booked["slots_removed_after"] = bookings.remove_templates()
    alerts = alerts_report(gateway, optin, tvs) if gateway is not None else None
    for tv in tvs:
        tv.close()
    summary = {
        "benchmark": "a busy day",
        "machine": machine(),
        "url": base,
        "visitors": args.visitors,
        "compression": round(day.scale, 1),
        "wall_seconds": round(played, 1),
        "stopped_at_limit": day.hit_deadline,
        "late_start_seconds": round(day.late_start, 1),
        "service_time_factor": round(day.service_factor, 3),
        "load_model": day.load,
        "counts": dict(day.counts),
        "booked_today": booked,
        "tv_calls_seen": {f"zone {tv.zone}": len(tv.calls) for tv in tvs},
        "latency": {name: summary_ms(values) for name, values in day.latency.items()},
        "checks": checks,
        **({"alerts": alerts} if alerts is not None else {}),
        "ok": all(check["ok"] for check in checks.values()),
    }
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except requests.ConnectionError as error:
        raise SystemExit(f"cannot reach the server: {error}") from error
