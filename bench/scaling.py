"""Ticket taking on PostgreSQL + Redis for 1, 2 and 4 processes on 1 and then 2 server cores.

    flock /tmp/antre-bench.lock python -m bench.scaling --tickets 2000 \
        --cores 0 --cores 0-1 --client-cpus 2-3

Runs bench.cluster (kiosk app, Redis message queue, the servers and their PostgreSQL backends
pinned to each ``--cores``, the load generator on ``--client-cpus``) with bench.take_tickets
once per (cores, processes), then prints one table: tickets/s, p95, duplicates, failures, and
the growth from the first ``--cores`` to each other at the same process count. Needs a machine
with more CPUs than the server cores, so that the load generator does not share them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bench.local_server import ROOT


def one_run(args, cores: str, processes: int) -> dict:
    command = [sys.executable, "-m", "bench.cluster", "--app", "kiosk"]
    command += ["--processes", str(processes), "--redis", args.redis, "--server-cpus", cores]
    if args.client_cpus:
        command += ["--client-cpus", args.client_cpus]
    command += ["--", sys.executable, "-m", "bench.take_tickets"]
    command += ["--kiosks", str(args.kiosks), "--tickets", str(args.tickets)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    start = out.stdout.find("{")
    if out.returncode != 0 or start < 0:
        raise SystemExit(f"cores {cores}, {processes} processes failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout[start:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", action="append", help="server CPUs, e.g. 0 then 0-1")
    parser.add_argument("--processes", type=int, action="append", help="default 1, 2 and 4")
    parser.add_argument("--client-cpus", default="", help="the load generator's CPUs")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--tickets", type=int, default=2000)
    args = parser.parse_args()
    cores, counts = args.cores or ["0", "0-1"], args.processes or [1, 2, 4]
    rows = {}
    for core in cores:
        for count in counts:
            result = one_run(args, core, count)
            rows[core, count] = result
            print(
                f"cores {core}, {count} processes: {result['tickets_per_second']} tickets/s",
                file=sys.stderr,
                flush=True,
            )
    print("| server cores | processes | tickets/s | p95 ms | duplicates | failures | × first |")
    print("|---|---|---|---|---|---|---|")
    for (core, count), result in rows.items():
        base = rows[cores[0], count]["tickets_per_second"] or 1
        growth = result["tickets_per_second"] / base
        print(
            f"| {core} | {count} | {result['tickets_per_second']} | "
            f"{result['latency']['p95_ms']} | {result['duplicate_numbers']} | "
            f"{sum(result['failures'].values())} | {growth:.2f} |"
        )


if __name__ == "__main__":
    main()
