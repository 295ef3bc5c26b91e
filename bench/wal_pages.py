"""The pages a kiosk tap and a clerk's cycle write to SQLite's write-ahead log, by table and index.

    python -m bench.wal_pages --taps 100 --cycles 50 --earlier 300

Every page a commit changes is written to the WAL whole (4 KB and a frame header, two
``pwrite`` calls), synced with the commit, and copied into the database file at the next
checkpoint: what a request costs in the kernel and on the disk, which instruction counts
(``bench.instructions``) do not see. This runs the embedded app in process (``bench.in_process``:
demo data, Flask's test client, a private SQLite file) and switches the automatic checkpoint
off. It takes ``--earlier`` tickets of other services, as by the afternoon, then warms up and
measures: ``--taps`` tickets, then ``--cycles`` call → start → finish cycles at Dukcapil's
Loket 1. After each phase it reads the page number of every frame in the WAL and names the
table or index that owns it (SQLite's ``dbstat``). Reported: frames per tap and per cycle, and
per b-tree. The counts repeat from run to run, up to a page split now and then.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import struct
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402

WAL_HEADER, FRAME_HEADER = 32, 24


def wal_pages(wal: Path) -> list[int]:
    """The page number of each frame in the WAL file, in order."""
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < WAL_HEADER:
        return []
    (page_size,) = struct.unpack(">I", data[8:12])
    pages, offset = [], WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(data):
        pages.append(struct.unpack(">I", data[offset : offset + 4])[0])
        offset += FRAME_HEADER + page_size
    return pages


def owners(database: Path) -> dict[int, str]:
    """{page number: the table or index it belongs to}."""
    with sqlite3.connect(database) as raw:
        return dict(raw.execute("SELECT pageno, name FROM dbstat"))


def checkpoint(database: Path) -> None:
    """Copy the WAL into the database and empty it."""
    with sqlite3.connect(database) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def phase(database: Path, run, count: int) -> dict:
    """Frames the WAL gains while ``run(count)`` works, per request and per b-tree."""
    checkpoint(database)
    run(count)
    pages = wal_pages(database.with_name(database.name + "-wal"))
    named = owners(database)
    by_tree = Counter(named.get(page, "(freed)") for page in pages)
    return {
        "frames_per_request": round(len(pages) / count, 2),
        "by_btree": {name: round(n / count, 2) for name, n in by_tree.most_common()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=50, help="call, start, finish")
    parser.add_argument(
        "--earlier",
        type=int,
        default=300,
        help="tickets of other services taken first, as by the afternoon (the clerk's tickets' "
        "rows are then not among the first ones written)",
    )
    args = parser.parse_args()

    from sqlalchemy import event

    from bench.in_process import CLERK_SERVICES, Clerk, Kiosk, make_app
    from shared.web.database import database

    folder = Path(tempfile.mkdtemp(prefix="antre-bench-"))
    try:
        app = make_app(folder)
        # Every pooled connection: no checkpoint of its own, so the WAL holds the whole phase.
        event.listen(
            database(app).engine,
            "connect",
            lambda connection, _record: connection.execute("PRAGMA wal_autocheckpoint=0"),
        )
        database(app).engine.dispose()
        kiosk, clerk = Kiosk(app), Clerk(app)
        queued = [s["id"] for s in kiosk.services if s.get("code") in CLERK_SERVICES]
        others = [
            s["id"]
            for s in kiosk.services
            if s.get("code") not in CLERK_SERVICES and s["open"] and s["quota_left"] is None
        ]

        def take(count: int, services: list[int] = queued) -> None:
            for index in range(count):
                if kiosk.take(services[index % len(services)]) != 201:
                    raise SystemExit("a tap was refused")

        def serve(count: int) -> None:
            spent: dict[str, list[float]] = {"call": [], "start": [], "finish": []}
            for _ in range(count):
                clerk.cycle(spent)

        take(args.earlier, others)
        take(40 + args.cycles)  # warm, and the clerk's queue filled first
        serve(3)
        result = {
            "benchmark": "SQLite WAL frames a request writes (in process)",
            "taps": args.taps,
            "cycles": args.cycles,
            "earlier": args.earlier,
            "tap": phase(folder / "antre.db", take, args.taps),
            "cycle": phase(folder / "antre.db", serve, args.cycles),
        }
        report(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
