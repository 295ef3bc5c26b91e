"""The floor under a kiosk tap and a clerk's call: their SQL replayed without Python around it.

    python -m bench.sql_floor --taps 300 --cycles 100 --static 1000

Takes ``--taps`` tickets, then ``--cycles`` call next → start → finish at Dukcapil's Loket 1,
through the embedded app in process (as ``bench.in_process`` does: demo data, Flask's test
client), recording each statement with its parameters. Then it replays every request's
statements, in order and with the same parameters, on a copy of the database taken before them,
straight through the sqlite3 module with the app's own settings (WAL, the same
``synchronous``), each transaction committed where the app committed it. The replay ends with
the same tickets, numbers and statuses as the app made, which the script checks.

What it gives, per kind of request, in CPU of this process: the app's whole request, the same
SQL alone, and a static file through the same app and test client (no HTTP in any). The
difference is the Python around the SQL (Flask, the ORM, the rules); the SQL alone is what a hot
path without any of it could at best reach. Set against a static file's CPU
(``bench.ticket_cost``), it says whether such a rewrite could meet issue 18's target (a tap at
most 4 static files).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report  # noqa: E402
from bench.in_process import Clerk, Kiosk, make_app  # noqa: E402

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


def record(engine, actions: list[tuple[str, Callable[[], None]]]) -> list[tuple[str, list, float]]:
    """(kind, its statements [(sql, parameters, many)], the app's CPU seconds) of each action."""
    done: list[tuple[str, list, float]] = []
    statements: list = []

    def note(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        statements.append((statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", note)
    try:
        for kind, action in actions:
            statements = []
            began = time.process_time()
            action()
            done.append((kind, statements, time.process_time() - began))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return done


def replay(path: Path, synchronous: str, recorded: list[tuple[str, list, float]]) -> list[float]:
    """CPU seconds of each action's statements alone; a BEGIN ends the transaction before it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={synchronous}")
    connection.execute("PRAGMA foreign_keys=ON")
    cursor = connection.cursor()
    spent = []
    for _kind, statements, _app in recorded:
        began = time.process_time()
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
        spent.append(time.process_time() - began)
    connection.close()
    return spent


def taps_and_cycles(kiosk: Kiosk, clerk: Clerk, service_id: int, taps: int, cycles: int):
    """The actions: ``taps`` tickets at the kiosk, then ``cycles`` call next → start → finish."""

    def tap() -> None:
        if (status := kiosk.take(service_id)) != 201:
            raise SystemExit(f"a tap answered {status}")

    called: list[int] = []

    def call() -> None:
        path = f"/counter/api/counters/{clerk.counter}/call-next"
        ticket = clerk.post(path, {"request_id": uuid.uuid4().hex})["ticket"]
        if ticket is None:
            raise SystemExit("the queue ran dry: give more taps than cycles")
        called.append(ticket["id"])

    def serve(action: str) -> Callable[[], None]:
        return lambda: clerk.post(f"/counter/api/tickets/{called[-1]}/{action}")

    cycle = [("call", call), ("start", serve("start")), ("finish", serve("finish"))]
    return [("tap", tap)] * taps + cycle * cycles


def tickets_in(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT service_id, business_date, number, code, status FROM ticket ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=300)
    parser.add_argument("--cycles", type=int, default=100, help="call, start, finish (≤ taps)")
    parser.add_argument("--static", type=int, default=1000, help="static-file GETs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="antre-sql-floor-") as tmp:
        folder = Path(tmp)
        app = make_app(folder)
        engine = app.extensions["antre.db"].engine
        kiosk, clerk = Kiosk(app), Clerk(app)  # the clerk's counter is open before the copy
        service_id = kiosk.services[0]["id"]  # KTP, which the clerk's counter calls
        for _ in range(WARM_UP):
            kiosk.take(service_id)
        engine.dispose()  # no connection holds the file while it is copied
        live, before = folder / "antre.db", folder / "before.db"
        with sqlite3.connect(live) as source:
            source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(live, before)
        actions = taps_and_cycles(kiosk, clerk, service_id, args.taps, args.cycles)
        recorded = record(engine, actions)
        static_ms = static_cpu_ms(app, args.static)
        alone = replay(before, app.config["ANTRE"].sqlite_synchronous, recorded)
        same = tickets_in(before) == tickets_in(live)
    report(
        {
            "benchmark": "a request's SQL alone against the whole request, in process",
            "taps": args.taps,
            "cycles": args.cycles,
            "static_cpu_ms": round(static_ms, 3),
            "requests": {
                kind: _figures(recorded, alone, kind, static_ms)
                for kind in ("tap", "call", "start", "finish")
            },
            "replay_made_the_same_tickets": same,
        }
    )


def _figures(recorded, alone, kind: str, static_ms: float) -> dict:
    """Means over the actions of ``kind``: statements, the app's CPU ms, its SQL's alone."""
    rows = [(len(r[1]), r[2], sql) for r, sql in zip(recorded, alone, strict=True) if r[0] == kind]
    if not rows:
        return {}
    app_ms = statistics.fmean(row[1] for row in rows) * 1000
    sql_ms = statistics.fmean(row[2] for row in rows) * 1000
    return {
        "statements": round(statistics.fmean(row[0] for row in rows), 1),
        "app_cpu_ms": round(app_ms, 3),
        "sql_cpu_ms": round(sql_ms, 3),
        "sql_share": round(sql_ms / app_ms, 3),
        "app_vs_static": round(app_ms / static_ms, 1),
        "sql_vs_static": round(sql_ms / static_ms, 1),
    }


if __name__ == "__main__":
    main()
