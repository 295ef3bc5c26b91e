"""What each SQLite durability level costs per acknowledged ticket, without HTTP in the way.

    python -m bench.sqlite_sync --tickets 500 --rounds 2 [--dir /var/lib/antre-bench]

For each round and each level (NORMAL, FULL, alternating so that a change of machine load hits
both), a fresh demo database in ``--dir`` (put it on the disk the server will use: a tmpfs syncs
for free), then ``--tickets`` tickets issued one transaction each, as the kiosk API does
(``issue_ticket`` then commit). Reports the commit's and the whole ticket's latency per level.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.common import report, summary_ms
from shared import migrate, queue
from shared.db import make_engine, make_session_factory
from shared.models import Service
from shared.seed import seed_demo

LEVELS = ("NORMAL", "FULL")


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'antre.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    return url


def issue(url: str, level: str, tickets: int) -> tuple[list[float], list[float]]:
    engine = make_engine(url, sqlite_synchronous=level)
    factory = make_session_factory(engine)
    with factory() as session:
        service_id = session.execute(select(Service.id).where(Service.code == "KTP")).scalar_one()
    whole, commits = [], []
    for _ in range(tickets):
        started = time.perf_counter()
        with factory() as session:
            queue.issue_ticket(session, service_id)
            before_commit = time.perf_counter()
            session.commit()
        done = time.perf_counter()
        whole.append(done - started)
        commits.append(done - before_commit)
    engine.dispose()
    return whole, commits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", default=None, help="where the databases go (default: TMPDIR)")
    options = parser.parse_args()
    results: dict[str, dict[str, list[float]]] = {lv: {"whole": [], "commit": []} for lv in LEVELS}
    seconds = dict.fromkeys(LEVELS, 0.0)
    for _ in range(options.rounds):
        for level in LEVELS:
            with tempfile.TemporaryDirectory(dir=options.dir) as folder:
                url = demo_database(Path(folder))
                started = time.perf_counter()
                whole, commits = issue(url, level, options.tickets)
                seconds[level] += time.perf_counter() - started
            results[level]["whole"] += whole
            results[level]["commit"] += commits
    report(
        {
            "benchmark": "SQLite durability level: one ticket per transaction, in process",
            "tickets_per_level": options.tickets * options.rounds,
            "levels": {
                level: {
                    "tickets_per_second": round(len(r["whole"]) / seconds[level], 1),
                    "ticket": summary_ms(r["whole"]),
                    "commit": summary_ms(r["commit"]),
                }
                for level, r in results.items()
            },
        }
    )


if __name__ == "__main__":
    main()
