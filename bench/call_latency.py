"""Call latency: a clerk's "call next" until ticket.called reaches the lobby TVs.

    python -m bench.call_latency --url http://127.0.0.1:5000 --tvs 100 --pages 1000 --calls 200

Sets the stage through the public interfaces: the kiosk API issues one ticket per ticket page
(spread over every open service) and one per call at the clerk's counter; TVs (python-socketio on
/display, joined to a zone as the TV page does) and ticket pages (/ticket, joined with their
ticket's code as /t/<code> does) connect from worker processes (bench/swarm.py). The clerk signs
in through the login form and, one call at a time, calls the next ticket, waits until every TV
has its ticket.called, then starts and finishes it to free the counter. Latency runs from just
before the HTTP request to each TV's receipt (time.monotonic(), one clock for all processes).
Bounded in count and time; loopback only. Prints one JSON report.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.actions import Desk, open_services, require_loopback, take_tickets  # noqa: E402
from bench.common import report, summary_ms  # noqa: E402
from bench.swarm import Plan, Swarm, drop_summary, raise_open_files, split  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--socketio-path", default="socket.io")
    parser.add_argument("--tvs", type=int, default=100)
    parser.add_argument("--pages", type=int, default=1000, help="ticket pages connected")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--zone", type=int, default=1, help="the TVs' zone (1: every agency)")
    parser.add_argument("--clerk", default="dukcapil1")
    parser.add_argument("--tv-procs", type=int, default=1)
    parser.add_argument("--page-procs", type=int, default=1)
    parser.add_argument("--kiosks", type=int, default=4, help="threads issuing the tickets")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between calls")
    parser.add_argument("--call-timeout", type=float, default=10)
    parser.add_argument("--max-seconds", type=float, default=300, help="for the calls")
    parser.add_argument(
        "--lean-clients",
        action="store_true",
        help="TVs and pages speak the wire protocol with aiohttp alone (bench/lean_tv.py)",
    )
    args = parser.parse_args(argv)
    if not (0 <= args.tvs <= 2000 and 0 <= args.pages <= 5000 and 1 <= args.calls <= 5000):
        raise SystemExit("--tvs ≤ 2000, --pages ≤ 5000, 1 ≤ --calls ≤ 5000")
    return args


def stage(args, desk: Desk) -> list[dict]:
    """The tickets the pages follow (every open service) and those the clerk will call."""
    services = open_services(args.url)
    if not services or not set(desk.service_ids) & set(services):
        raise SystemExit("no open service at the clerk's counter: start the demo (run.py)")
    mine = [s for s in desk.service_ids if s in services]
    followed = [services[i % len(services)] for i in range(args.pages)]
    called = [mine[i % len(mine)] for i in range(args.calls)]
    # The pages' tickets all taken before the clerk's: taken together, a busy machine's kiosk
    # threads could queue the clerk's ahead of every page's, and no page would see its call.
    pages = take_tickets(args.url, followed, args.kiosks) if followed else []
    return pages + take_tickets(args.url, called, args.kiosks)


def main(argv=None) -> None:
    args = parse_args(argv)
    base = args.url.rstrip("/")
    require_loopback(base)
    raise_open_files()
    desk = Desk(base, args.clerk)
    began = time.monotonic()
    tickets = stage(args, desk)
    staged = time.monotonic() - began
    codes = [t["code"] for t in tickets[: args.pages]]
    lean = args.lean_clients
    plans = [
        Plan(base, args.socketio_path, args.zone, tvs=n, lean=lean)
        for n in split(args.tvs, args.tv_procs)
    ]
    chunks = split(len(codes), args.page_procs)
    plans += [
        Plan(
            base,
            args.socketio_path,
            args.zone,
            codes=codes[sum(chunks[:i]) : sum(chunks[: i + 1])],
            lean=lean,
        )
        for i in range(len(chunks))
    ]
    swarm = Swarm(plans)
    ready = swarm.ready(600)

    calls: list[tuple[int, str, float, float]] = []  # ticket id, code, began, round trip
    missed_calls = 0
    deadline = time.monotonic() + args.max_seconds
    while len(calls) < args.calls and time.monotonic() < deadline:
        started, round_trip, ticket = desk.call_next()
        if ticket is None:
            break  # nobody left waiting at this counter
        calls.append((ticket["id"], ticket["code"], started, round_trip))
        if args.tvs and not swarm.wait_called(ticket["id"], args.call_timeout):
            missed_calls += 1
        desk.serve(ticket["id"])
        time.sleep(args.pause)
    results = swarm.stop()
    report(summarise(args, staged, ready, calls, missed_calls, results))


def summarise(args, staged, ready, calls, missed_calls, results) -> dict:
    started = {ticket_id: began for ticket_id, _, began, _ in calls}
    tv_latency, first_tv, receipts = [], {}, 0
    pages: dict[str, dict] = {}
    for result in results:
        pages.update(result["pages"])
        for ticket_id, arrivals in result["called"].items():
            if ticket_id in started:
                receipts += len(arrivals)
                tv_latency += [t - started[ticket_id] for t in arrivals]
                first = min(arrivals) - started[ticket_id]
                first_tv[ticket_id] = min(first, first_tv.get(ticket_id, first))
    followed = [(code, started[tid]) for tid, code, *_ in calls if code in pages]
    page_latency = [
        pages[code]["called_at"] - began for code, began in followed if pages[code]["called_at"]
    ]
    return {
        "benchmark": "call next -> ticket.called at the TVs",
        "url": args.url,
        "load": {"tvs": args.tvs, "ticket_pages": args.pages, "zone": args.zone},
        "lean_clients": args.lean_clients,
        "clients": {
            "processes": len(ready),
            "connected": sum(r["connected"] for r in ready),
            "joined": sum(r["joined"] for r in ready),
            "failed": sum(r["failed"] for r in ready),
            "errors": [e for r in ready for e in r["errors"]][:5],
            "connect_seconds": max((r["seconds"] for r in ready), default=0),
            "dropped_during_run": drop_summary(results),
        },
        "staging_seconds": round(staged, 1),
        "calls": len(calls),
        "tv_receipts": {"expected": len(calls) * args.tvs, "received": receipts},
        "calls_not_seen_by_every_tv": missed_calls,
        "call_to_tv": summary_ms(tv_latency),
        "call_to_first_tv": summary_ms(list(first_tv.values())),
        "call_http_round_trip": summary_ms([c[3] for c in calls]),
        "ticket_pages": {
            "whose_ticket_was_called": len(followed),
            "saw_their_call": len(page_latency),
            "ticket_changed_messages": sum(p["ticket_changed"] for p in pages.values()),
            "queue_changed_messages": sum(p["queue_changed"] for p in pages.values()),
        },
        "call_to_own_ticket_page": summary_ms(page_latency),
        "targets": {"call_to_tv_p50_ms": 10, "call_to_tv_p99_ms": 50},
    }


if __name__ == "__main__":
    main()
