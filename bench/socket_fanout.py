"""Socket fan-out: thousands of TVs on one display process, a broadcast to all, the server's memory.

    python -m bench.socket_fanout --url http://127.0.0.1:5000 --clients 5000 --client-procs 4

Lobby TVs (python-socketio AsyncClients on /display, joined to a zone as the TV page does) connect
from --client-procs worker processes (bench/swarm.py) to the display server (--display-url,
default --url: the embedded run.py; for a display app of its own under gunicorn give its URL and
--socketio-path display/socket.io). A clerk signed in at --url then calls --broadcasts tickets at
their counter: each call is one ticket.called to the zone's rooms. Latency runs from just before
the call's HTTP request to each TV's receipt (time.monotonic(), one clock for all processes).
Resident memory is read from /proc/<pid>/status of the process serving the sockets (--pid, or
the one listening on the display port; under gunicorn, the worker), and its CPU time per broadcast
from /proc/<pid>/stat. Bounded in count and time;
loopback only. Prints one JSON report.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.actions import Desk, require_loopback, take_tickets  # noqa: E402
from bench.common import report, summary_ms  # noqa: E402
from bench.swarm import Plan, Swarm, drop_summary, raise_open_files, split  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000", help="kiosk and counter")
    parser.add_argument("--display-url", default=None, help="the socket server (default --url)")
    parser.add_argument("--socketio-path", default="socket.io")
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--client-procs", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=25, help="connects at once per proc")
    parser.add_argument("--broadcasts", type=int, default=10)
    parser.add_argument("--zone", type=int, default=1)
    parser.add_argument("--clerk", default="dukcapil1")
    parser.add_argument("--pid", type=int, default=None, help="the socket server's process")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between broadcasts")
    parser.add_argument("--call-timeout", type=float, default=30)
    parser.add_argument("--connect-seconds", type=float, default=480)
    parser.add_argument(
        "--deflate", action="store_true", help="TVs offer permessage-deflate, as browsers do"
    )
    parser.add_argument(
        "--lean-clients",
        action="store_true",
        help="TVs speak the wire protocol with aiohttp alone (bench/lean_tv.py): less client CPU",
    )
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 20_000 and 1 <= args.broadcasts <= 1000):
        raise SystemExit("1 ≤ --clients ≤ 20000, 1 ≤ --broadcasts ≤ 1000")
    return args


def listening_pids(port: int) -> list[int]:
    """Processes holding a listening socket on the port (gunicorn: the master and its worker)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (entry / "fd").iterdir()):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def server_pid(display_url: str) -> int:
    pids = listening_pids(urlparse(display_url).port or 80)
    parents = {pid: parent_of(pid) for pid in pids}
    # A gunicorn worker's parent (the master) listens on the same port: take the child.
    workers = [pid for pid, parent in parents.items() if parent in parents]
    found = workers or pids
    if len(found) != 1:
        raise SystemExit(f"cannot tell the server's process ({found}): give --pid")
    return found[0]


def parent_of(pid: int) -> int:
    return int(status(pid)["PPid"].split()[0])


def status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far: its cost, whatever else runs beside it."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int, key: str = "VmRSS") -> float:
    return round(int(status(pid)[key].split()[0]) / 1024, 1)


def main(argv=None) -> None:
    args = parse_args(argv)
    base = args.url.rstrip("/")
    display = (args.display_url or base).rstrip("/")
    require_loopback(base, display)
    raise_open_files()
    pid = args.pid or server_pid(display)
    desk = Desk(base, args.clerk)
    mine = desk.service_ids
    take_tickets(base, [mine[i % len(mine)] for i in range(args.broadcasts)], kiosks=2)
    rss = {"before_clients_mb": memory_mb(pid)}

    plans = [
        Plan(
            display,
            args.socketio_path,
            args.zone,
            tvs=n,
            concurrency=args.concurrency,
            deflate=args.deflate,
            lean=args.lean_clients,
        )
        for n in split(args.clients, args.client_procs)
    ]
    swarm = Swarm(plans)
    ready = swarm.ready(args.connect_seconds)
    rss["all_connected_mb"] = memory_mb(pid)

    calls: list[tuple[int, float, float]] = []  # ticket id, began, round trip
    not_everywhere, samples, cpu = 0, [rss["all_connected_mb"]], []
    for _ in range(args.broadcasts):
        cpu_before = cpu_seconds(pid)
        started, round_trip, ticket = desk.call_next()
        if ticket is None:
            break
        calls.append((ticket["id"], started, round_trip))
        if not swarm.wait_called(ticket["id"], args.call_timeout):
            not_everywhere += 1
        cpu.append(cpu_seconds(pid) - cpu_before)
        samples.append(memory_mb(pid))
        desk.serve(ticket["id"])
        time.sleep(args.pause)
    rss["max_during_broadcasts_mb"] = max(samples)
    rss["peak_vmhwm_mb"] = memory_mb(pid, "VmHWM")
    results = swarm.stop()
    report(summarise(args, display, pid, ready, calls, not_everywhere, rss, results, cpu))


def summarise(args, display, pid, ready, calls, not_everywhere, rss, results, cpu) -> dict:
    started = {ticket_id: began for ticket_id, began, _ in calls}
    latency, reach = [], dict.fromkeys(started, 0)
    for result in results:
        for ticket_id, arrivals in result["called"].items():
            if ticket_id in started:
                reach[ticket_id] += len(arrivals)
                latency += [t - started[ticket_id] for t in arrivals]
    connected = sum(r["joined"] for r in ready)
    return {
        "benchmark": "socket fan-out: one broadcast to every TV",
        "url": args.url,
        "display_url": display,
        "server_pid": pid,
        "server_command": Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").strip(),
        "clients": {
            "wanted": args.clients,
            "offer_deflate": args.deflate,
            "lean": args.lean_clients,
            "processes": len(ready),
            "joined": connected,
            "failed": sum(r["failed"] for r in ready),
            "errors": [e for r in ready for e in r["errors"]][:5],
            "connect_seconds": max((r["seconds"] for r in ready), default=0),
            "dropped_during_run": drop_summary(results),
        },
        "broadcasts": len(calls),
        "broadcasts_not_reaching_every_tv": not_everywhere,
        "receipts": {"expected": len(calls) * connected, "received": sum(reach.values())},
        "fewest_reached_by_one_broadcast": min(reach.values(), default=0),
        "broadcast_to_tv": summary_ms(latency),
        "call_http_round_trip": summary_ms([c[2] for c in calls]),
        "server_memory": {
            **rss,
            "per_tv_kb": round(
                (rss["all_connected_mb"] - rss["before_clients_mb"]) * 1024 / connected
            )
            if connected
            else None,
        },
        # From the call's request to every TV's receipt (CPU ticks of 10 ms): the fan-out's own
        # cost, which the machine's load does not stretch as it stretches the latency.
        "server_cpu_ms_per_broadcast": summary_ms(cpu),
        # The TV clients' CPU, all processes, per broadcast: on one machine they share its cores
        # with the server, so on a small machine their work stretches the latency above.
        "client_cpu_ms_per_broadcast": round(
            sum(r.get("cpu_seconds_after_ready", 0) for r in results) * 1000 / len(calls), 1
        )
        if calls
        else None,
        "targets": {"clients": 5000, "broadcast_to_tv_p95_ms": 300, "server_rss_mb": 300},
    }


if __name__ == "__main__":
    main()
