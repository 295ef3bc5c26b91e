"""A province on one installation: one busy hour across all sites, TVs and phones connected.

    flock /tmp/antre-bench.lock python -m bench.cluster --app run --processes 4 \\
        --redis redis://127.0.0.1:6379/0 --seed province --sites 100 --nginx -- \\
        python -m bench.province --tvs-per-site 10 --phones 2000 --tickets 6000 --seconds 120

Against servers seeded by bench/province_seed.py (bench/cluster.py gives the --url(s) and, in
the environment, the database and the server processes). First the phones' tickets are taken
(the sites in turn) and the clients connect from bench/swarm.py worker processes: per site
--tvs-per-site TVs on /display joined to the site's "Lobi utama" zone, each remembering which
calls it received; one phone on /ticket per phone ticket. Then the hour, compressed into
--seconds: kiosk threads take --tickets tickets on a schedule, each at a random site with that
site's kiosk token (X-Kiosk-Token), while --clerks-per-site clerks per site call, start and
finish at their counters. Measured: tickets/s, call → TV latency (the TVs of the called site),
every call on every TV of its site and on no TV of another, duplicate numbers per site, service
and business day (from the database), VmRSS per server process. Loopback only; prints one JSON.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.actions import require_loopback  # noqa: E402
from bench.common import report, summary_ms  # noqa: E402
from bench.province_play import (  # noqa: E402
    Clerks,
    Kiosks,
    MemoryWatch,
    read_province,
    server_processes,
)
from bench.swarm import Plan, Swarm, drop_summary, raise_open_files, split  # noqa: E402
from shared.db import make_engine  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="repeat for several processes")
    parser.add_argument("--database-url", default=os.environ.get("ANTRE_DATABASE_URL"))
    parser.add_argument("--socketio-path", default="socket.io")
    parser.add_argument("--tvs-per-site", type=int, default=10)
    parser.add_argument("--phones", type=int, default=2000, help="ticket pages, sites in turn")
    parser.add_argument("--clerks-per-site", type=int, default=1)
    parser.add_argument("--tickets", type=int, default=6000, help="the hour's, all sites")
    parser.add_argument("--seconds", type=float, default=120, help="the compressed hour")
    parser.add_argument("--kiosks", type=int, default=20, help="threads taking tickets")
    parser.add_argument("--serve-seconds", type=float, default=2.0, help="call → start")
    parser.add_argument("--tv-procs", type=int, default=2)
    parser.add_argument("--phone-procs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=25, help="connects at once per proc")
    parser.add_argument("--connect-seconds", type=float, default=600)
    parser.add_argument("--max-seconds", type=float, default=0, help="hour: 1.5 × --seconds")
    parser.add_argument("--settle-seconds", type=float, default=5, help="after the last call")
    args = parser.parse_args(argv)
    if not args.database_url:
        raise SystemExit("give --database-url (or ANTRE_DATABASE_URL, as bench.cluster sets it)")
    if not (0 <= args.tvs_per_site <= 50 and 0 <= args.phones <= 10_000):
        raise SystemExit("--tvs-per-site ≤ 50, --phones ≤ 10000")
    if not (1 <= args.tickets <= 100_000 and 1 <= args.seconds <= 3600):
        raise SystemExit("1 ≤ --tickets ≤ 100000, 1 ≤ --seconds ≤ 3600")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    urls = [u.rstrip("/") for u in (args.url or ["http://127.0.0.1:5000"])]
    require_loopback(*urls)
    raise_open_files()
    sites = read_province(args.database_url)
    if not sites:
        raise SystemExit("no prov-* site: seed with bench/province_seed.py (bench.cluster --seed)")
    load = [os.getloadavg()[0]]
    watch = MemoryWatch(server_processes())
    memory = {"before": watch.snapshot()}

    desks = [
        (site, counter, user)
        for site in sites
        for counter, user in site.counters[: args.clerks_per_site]
    ]
    signing = time.monotonic()
    clerks = Clerks(urls, desks)
    signed_in = time.monotonic() - signing

    phones_kiosks = Kiosks(urls, sites, args.kiosks, seed=1)
    phone_seconds = phones_kiosks.run(phones_kiosks.plan(args.phones, per_site=True))
    codes = [t["code"] for t in phones_kiosks.taken]

    tv_sites = [site for _ in range(args.tvs_per_site) for site in sites]  # sites interleaved
    shares = split(len(tv_sites), args.tv_procs)
    plans, tv_owner = [], {}  # tv_owner[id(plan)][tv index] = site index
    for n, share in enumerate(shares):
        mine = tv_sites[sum(shares[:n]) : sum(shares[:n]) + share]
        plans.append(
            Plan(
                urls[n % len(urls)],
                args.socketio_path,
                tv_zones=[s.zone for s in mine],
                concurrency=args.concurrency,
            )
        )
        tv_owner[id(plans[-1])] = [s.index for s in mine]
    chunks = split(len(codes), args.phone_procs)
    for n, size in enumerate(chunks):
        part = codes[sum(chunks[:n]) : sum(chunks[:n]) + size]
        plans.append(
            Plan(urls[n % len(urls)], args.socketio_path, codes=part, concurrency=args.concurrency)
        )
    swarm = Swarm(plans)
    ready = swarm.ready(args.connect_seconds)
    memory["all_connected"] = watch.snapshot()

    watch.start()
    hour = Kiosks(urls, sites, args.kiosks, seed=2)
    clerks.start(args.serve_seconds)
    limit = args.max_seconds or 1.5 * args.seconds  # a server that cannot keep up: stop anyway
    hour_seconds = hour.run(hour.plan(args.tickets), seconds=args.seconds, limit=limit)
    clerks.finish()
    time.sleep(args.settle_seconds)  # the last calls' frames still on their way
    memory["peak_during_hour"] = watch.finish()
    memory["end"] = watch.snapshot()
    memory["peak_vmhwm"] = watch.snapshot("VmHWM")
    results = swarm.stop()
    load.append(os.getloadavg()[0])
    checks, called_codes = database_checks(args.database_url, codes)
    run = SimpleNamespace(
        urls=urls,
        sites=sites,
        signed_in=signed_in,
        phones=phones_kiosks,
        phone_seconds=phone_seconds,
        hour=hour,
        hour_seconds=hour_seconds,
        clerks=clerks,
        ready=ready,
        plan_results=list(zip(swarm.plans, results, strict=True)),
        tv_owner=tv_owner,
        memory=memory,
        load=load,
        checks=checks,
        called_codes=called_codes,
    )
    report(summarise(args, run))


def database_checks(database_url: str, codes: list[str]) -> tuple[dict, set[str]]:
    """Numbers twice (per service and business day, and per site's displayed number and day),
    tickets of one site taken at another site's kiosk; and which phones' tickets were called."""
    queries = {
        "duplicate_numbers": """select count(*) from (select 1 from ticket
            group by service_id, business_date, number having count(*) > 1) d""",
        "duplicate_display_numbers_per_site": """select count(*) from (select 1 from ticket t
            join service s on s.id = t.service_id
            group by s.site_id, t.business_date, t.display_number having count(*) > 1) d""",
        "tickets_of_another_sites_kiosk": """select count(*) from ticket t
            join service s on s.id = t.service_id join kiosk k on k.id = t.kiosk_id
            where k.site_id <> s.site_id""",
        "tickets": "select count(*) from ticket",
        "business_days": "select count(distinct business_date) from ticket",
    }
    engine = make_engine(database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            found = {
                name: connection.execute(text(sql)).scalar_one() for name, sql in queries.items()
            }
            called = connection.execute(
                text("select code from ticket where called_at is not null and code = any(:codes)"),
                {"codes": codes},
            )
            return found, set(called.scalars())
    finally:
        engine.dispose()


def tv_figures(calls, plan_results, tv_owner) -> dict:
    """Every call on every joined TV of its site, on none of another site; call → TV latency.
    A TV that lost its connection during the run is counted apart: it may miss calls."""
    started = {call.ticket_id: call for call in calls}
    tvs_of_site: dict[int, int] = {}  # joined
    kept_of_site: dict[int, int] = {}  # joined and never dropped
    own = dict.fromkeys(started, 0)
    own_kept = dict.fromkeys(started, 0)
    latency, cross, unknown = [], 0, 0
    for plan, result in plan_results:
        owners = tv_owner.get(id(plan))
        if owners is None:
            continue
        dropped = set(result["tv_drops"])
        for tv, receipts in result["receipts"].items():
            site, kept = owners[tv], tv not in dropped
            tvs_of_site[site] = tvs_of_site.get(site, 0) + 1
            kept_of_site[site] = kept_of_site.get(site, 0) + kept
            for ticket_id, arrived in receipts:
                call = started.get(ticket_id)
                if call is None:
                    unknown += 1
                elif call.site != site:
                    cross += 1
                else:
                    own[ticket_id] += 1
                    own_kept[ticket_id] += kept
                    latency.append(arrived - call.began)
    return {
        "tvs_joined": sum(tvs_of_site.values()),
        "tvs_dropped_during_run": sum(tvs_of_site.values()) - sum(kept_of_site.values()),
        "sites_with_tvs": len(tvs_of_site),
        "receipts_expected": sum(tvs_of_site.get(c.site, 0) for c in calls),
        "receipts_on_own_site": sum(own.values()),
        "calls_missing_on_some_own_tv": sum(
            own[c.ticket_id] < tvs_of_site.get(c.site, 0) for c in calls
        ),
        "calls_missing_on_some_own_tv_never_dropped": sum(
            own_kept[c.ticket_id] < kept_of_site.get(c.site, 0) for c in calls
        ),
        "receipts_on_another_sites_tv": cross,
        "receipts_of_calls_not_made_by_the_bench": unknown,
        "call_to_tv": summary_ms(latency),
    }


def phone_figures(calls, plan_results, called_codes: set[str]) -> dict:
    """The phones whose ticket a clerk called: did the call reach them, how fast."""
    started = {call.ticket_id: call.began for call in calls}
    pages = {c: p for _plan, result in plan_results for c, p in result["pages"].items()}
    called = [pages[c] for c in called_codes if c in pages]
    seen = [p["called_at"] - started[p["ticket_id"]] for p in called if p["called_at"]]
    return {
        "phones_connected": len(pages),
        "whose_ticket_was_called": len(called),
        "saw_their_call": len(seen),
        "call_to_own_phone": summary_ms(seen),
    }


def summarise(args, run: SimpleNamespace) -> dict:
    calls, clerks, hour, phones, ready = (
        run.clerks.calls,
        run.clerks,
        run.hour,
        run.phones,
        run.ready,
    )
    urls, sites, plan_results = run.urls, run.sites, run.plan_results
    return {
        "benchmark": "a province on one installation: one busy hour across all sites",
        "url": urls[0] if len(urls) == 1 else urls,
        "server_processes": len(
            [p for p in os.environ.get("BENCH_SERVER_PIDS", "").split(",") if p]
        ),
        "nginx": bool(os.environ.get("BENCH_NGINX_PID")),
        "load_average_start_end": [round(x, 1) for x in run.load],
        "load": {
            "sites": len(sites),
            "counters": sum(len(s.counters) for s in sites),
            "clerks_working": len(clerks.desks),
            "tvs_per_site": args.tvs_per_site,
            "phones": args.phones,
            "hour_tickets_wanted": args.tickets,
            "hour_seconds": args.seconds,
            "kiosk_threads": args.kiosks,
            "serve_seconds": args.serve_seconds,
        },
        "clients": {
            "processes": len(ready),
            "joined": sum(r["joined"] for r in ready),
            "failed": sum(r["failed"] for r in ready),
            "errors": [e for r in ready for e in r["errors"]][:5],
            "connect_seconds": max((r["seconds"] for r in ready), default=0),
            "dropped_during_run": drop_summary([r for _p, r in plan_results]),
        },
        "clerks_sign_in_seconds": round(run.signed_in, 1),
        "phone_tickets": {
            "taken": len(phones.taken),
            "seconds": round(run.phone_seconds, 1),
            "tickets_per_second": round(len(phones.taken) / run.phone_seconds, 1),
            "latency": summary_ms(phones.latencies),
            "failures": dict(phones.failures),
        },
        "hour": {
            "tickets_taken": len(hour.taken),
            "seconds": round(run.hour_seconds, 1),
            "tickets_per_second": round(len(hour.taken) / run.hour_seconds, 1),
            "wanted_per_second": round(args.tickets / args.seconds, 1),
            "kiosk_latency": summary_ms(hour.latencies),
            "kiosk_failures": dict(hour.failures),
            "calls": len(calls),
            "calls_per_second": round(len(calls) / run.hour_seconds, 1),
            "call_http_round_trip": summary_ms([c.round_trip for c in calls]),
            "clerk_failures": dict(clerks.failures),
        },
        "tvs": tv_figures(calls, plan_results, run.tv_owner),
        "phones": phone_figures(calls, plan_results, run.called_codes),
        "database": run.checks,
        "memory_mb": run.memory,
    }


if __name__ == "__main__":
    main()
