"""Instructions a kiosk tap, a clerk's cycle and a static file cost, counted by Valgrind.

    python -m bench.instructions --taps 100 --cycles 50 --static 300

CPU time on these shared machines varies by a third between runs, which hides a change of 10%.
The number of instructions a request executes does not: this script runs the embedded app in
process (as ``bench.in_process`` does: demo data, Flask's test client, a private SQLite file)
under Valgrind's callgrind, warms it up (a few taps, cycles and static files: caches filled,
statements built), then takes ``--taps`` tickets, ``--cycles`` call → start → finish cycles at
Dukcapil's Loket 1 and ``--static`` GETs of a static file. Between phases it calls
``os.getppid()``, on which callgrind dumps its counts (``--dump-before=os_getppid*``), so each
phase's instructions are counted apart. Reported: instructions per tap, per cycle and per
static file, and the tap's and the cycle's in static files. It takes a few minutes (Valgrind
runs the code some 50 times slower); the result is the same within a fraction of a percent from
run to run, so one run of each version compares them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402

MARK = "os_getppid*"  # the C function behind os.getppid(): the phases' boundary
WARM_UP = {"taps": 30, "cycles": 3, "static": 20}
_PART = re.compile(r"^part: (\d+)$", re.M)
_TOTAL = re.compile(r"^totals: (\d+)", re.M)


def count_parts(command: list[str], folder: Path) -> list[int]:
    """Instructions of each part of ``command``'s run, cut at each ``os.getppid()``: the part
    before the first call, then one part after each."""
    out = folder / "callgrind.out"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--dump-before={MARK}",
            f"--callgrind-out-file={out}",
            *command,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        cwd=Path(__file__).resolve().parent.parent,
    )
    parts = {}
    for dump in folder.glob("callgrind.out*"):
        text = dump.read_text()
        parts[int(_PART.search(text)[1])] = int(_TOTAL.search(text)[1])
    return [parts[key] for key in sorted(parts)]


def run_phases(taps: int, cycles: int, static: int) -> None:
    """The child under Valgrind: warm up, then taps, cycles and static files, each marked."""
    from bench.in_process import CLERK_SERVICES, Clerk, Kiosk, make_app
    from bench.sql_floor import STATIC

    folder = Path(tempfile.mkdtemp(prefix="antre-bench-"))
    try:
        app = make_app(folder)
        kiosk, clerk, browser = Kiosk(app), Clerk(app), app.test_client()
        queued = [s["id"] for s in kiosk.services if s.get("code") in CLERK_SERVICES]
        ignored: dict[str, list[float]] = {"call": [], "start": [], "finish": []}

        def take(count: int) -> None:
            for index in range(count):
                if kiosk.take(queued[index % len(queued)]) != 201:
                    raise SystemExit("a tap was refused")

        def serve(count: int) -> None:
            for _ in range(count):
                clerk.cycle(ignored)

        def fetch(count: int) -> None:
            for _ in range(count):
                browser.get(STATIC).close()

        take(WARM_UP["taps"] + cycles + WARM_UP["cycles"])  # the clerk's queue, filled first
        serve(WARM_UP["cycles"])
        fetch(WARM_UP["static"])
        os.getppid()
        take(taps)
        os.getppid()
        serve(cycles)
        os.getppid()
        fetch(static)
        os.getppid()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=50, help="call, start, finish")
    parser.add_argument("--static", type=int, default=300, help="static-file GETs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    counts = (args.taps, args.cycles, args.static)
    if args.child:
        run_phases(*counts)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs Valgrind (apt-get install valgrind)")
    folder = Path(tempfile.mkdtemp(prefix="antre-callgrind-"))
    try:
        child = [sys.executable, "-m", "bench.instructions", "--child"]
        child += ["--taps", str(args.taps), "--cycles", str(args.cycles)]
        child += ["--static", str(args.static)]
        parts = count_parts(child, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if len(parts) != 5:  # start-up and warm-up, taps, cycles, static files, the exit
        raise SystemExit(f"expected 5 parts, callgrind dumped {len(parts)}")
    tap, cycle, static = (parts[i] / n for i, n in zip((1, 2, 3), counts, strict=True))
    report(
        {
            "benchmark": "instructions per request in process (callgrind)",
            "taps": args.taps,
            "cycles": args.cycles,
            "static": args.static,
            "instructions": {"tap": round(tap), "cycle": round(cycle), "static": round(static)},
            "in_static_files": {"tap": round(tap / static, 2), "cycle": round(cycle / static, 2)},
        }
    )


if __name__ == "__main__":
    main()
