"""The floor under a kiosk tap: its SQL replayed without Python around it.

    python -m bench.sql_floor --taps 300 --static 1000

Takes ``--taps`` tickets through the embedded app in process (as ``bench.in_process`` does: the
demo kiosk's first open service, Flask's test client) while recording each statement a tap runs
with its parameters. Then it replays every tap's statements, in order and with the same
parameters, on a copy of the database taken before the taps, straight through the sqlite3
module with the app's own settings (WAL, the same ``synchronous``), each transaction committed
where the app committed it. The replay ends with the same tickets, numbers and events as the
app made.

What it gives, per tap, in CPU of this process: the app's whole tap, the same SQL alone, and a
static file through the same app and test client (no HTTP in any of the three). The
difference is the Python around the SQL (Flask, the ORM, the rules); the SQL alone is what a hot
path without any of it could at best reach. Set against a static file's CPU
(``bench.ticket_cost``), it says whether such a rewrite could meet issue 18's target (a tap at
most 4 static files).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402
from bench.in_process import Kiosk, make_app  # noqa: E402

WARM_UP = 20  # taps before the copy: the page, the caches, the first statements built
STATIC = "/static/shared/antre.js"


def static_cpu_ms(app, requests: int) -> float:
    """CPU ms of one static file through the same app and test client: the unit of the target."""
    client = app.test_client()
    client.get(STATIC).close()
    began = time.process_time()
    for _ in range(requests):
        client.get(STATIC).close()
    return (time.process_time() - began) * 1000 / requests


def record_taps(kiosk: Kiosk, service_id: int, engine, taps: int) -> tuple[list[list], float]:
    """Each tap's statements [(sql, parameters, many)], and the app's CPU ms per tap."""
    recorded: list[list] = []

    def note(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        recorded[-1].append((statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", note)
    spent = 0.0
    try:
        for _ in range(taps):
            recorded.append([])
            began = time.process_time()
            status = kiosk.take(service_id)
            spent += time.process_time() - began
            if status != 201:
                raise SystemExit(f"a tap answered {status}")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return recorded, spent * 1000 / taps


def replay(path: Path, synchronous: str, taps: list[list]) -> float:
    """CPU ms per tap of its statements alone; a BEGIN ends the transaction before it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
    connection.execute("PRAGMA foreign_keys=ON")
    cursor = connection.cursor()
    began = time.process_time()
    for statements in taps:
        for sql, parameters, many in statements:
            if sql.startswith("BEGIN") and connection.in_transaction:
                connection.commit()
            # A batched INSERT (insertmanyvalues) is noted as "many" with its flat parameters.
            if many and parameters and isinstance(parameters[0], (tuple, list, dict)):
                cursor.executemany(sql, parameters)
            else:
                cursor.execute(sql, parameters)
            cursor.fetchall()
        if connection.in_transaction:
            connection.commit()
    spent = time.process_time() - began
    connection.close()
    return spent * 1000 / len(taps)


def tickets_in(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT service_id, business_date, number, code FROM ticket ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=300)
    parser.add_argument("--static", type=int, default=1000, help="static-file GETs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="antre-sql-floor-") as tmp:
        folder = Path(tmp)
        app = make_app(folder)
        engine = app.extensions["antre.db"].engine
        kiosk = Kiosk(app)
        service_id = kiosk.services[0]["id"]
        for _ in range(WARM_UP):
            kiosk.take(service_id)
        engine.dispose()  # no connection holds the file while it is copied
        live, before = folder / "antre.db", folder / "before.db"
        with sqlite3.connect(live) as source:
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(live, before)
        taps, app_ms = record_taps(kiosk, service_id, engine, args.taps)
        static_ms = static_cpu_ms(app, args.static)
        sql_ms = replay(before, app.config["ANTRE"].sqlite_synchronous, taps)
        same = tickets_in(before) == tickets_in(live)
    statements = [len(tap) for tap in taps]
    report(
        {
            "benchmark": "a tap's SQL alone against the whole tap, in process",
            "taps": args.taps,
            "statements_per_tap": round(sum(statements) / len(statements), 1),
            "app_cpu_ms_per_tap": round(app_ms, 3),
            "sql_cpu_ms_per_tap": round(sql_ms, 3),
            "sql_share": round(sql_ms / app_ms, 3),
            "static_cpu_ms": round(static_ms, 3),
            "app_tap_vs_static": round(app_ms / static_ms, 1),
            "sql_vs_static": round(sql_ms / static_ms, 1),
            "replay_made_the_same_tickets": same,
        }
    )


if __name__ == "__main__":
    main()
