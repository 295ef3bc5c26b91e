"""What PostgreSQL sessions wait on while a benchmark runs: the rows everyone serialises on.

    python -m bench.cluster --processes 4 --redis redis://127.0.0.1:6379/0 -- \
        python -m bench.pg_waits -- python -m bench.take_tickets --kiosks 20 --tickets 300

Runs the command (with the arguments bench.cluster appends) and, meanwhile, samples
``pg_stat_activity`` of ANTRE_DATABASE_URL's database every --every seconds. Prints how often an
active backend was seen waiting, by wait event and by statement (first 90 characters), and for
lock waits which relation the blocking lock is on (``pg_locks``). A row lock shows up as
``Lock/transactionid``: the waiter found a row updated by a transaction still open.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from collections import Counter

from sqlalchemy import create_engine, text

ACTIVITY = text(
    """
    SELECT a.pid, a.state, a.wait_event_type, a.wait_event, left(a.query, 90) AS query,
           (SELECT string_agg(DISTINCT c.relname, ',')
              FROM pg_locks held JOIN pg_class c ON c.oid = held.relation
             WHERE held.pid = ANY(pg_blocking_pids(a.pid)) AND held.mode LIKE '%Exclusive%'
               AND c.relname NOT LIKE 'pg_%') AS blockers_tables
      FROM pg_stat_activity a
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
       AND a.state <> 'idle'
    """
)


def sample(url: str, every: float, stop: threading.Event, seen: dict[str, Counter]) -> None:
    engine = create_engine(url, pool_size=1)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        while not stop.wait(every):
            seen["samples"]["n"] += 1
            for row in connection.execute(ACTIVITY):
                seen["states"][row.state] += 1
                if row.wait_event_type is None:
                    seen["waits"]["(on CPU)"] += 1
                    continue
                what = f"{row.wait_event_type}/{row.wait_event}"
                seen["waits"][what] += 1
                if row.wait_event_type == "Lock":
                    seen["lock_queries"][" ".join(row.query.split())] += 1
                    seen["lock_blockers"][row.blockers_tables or "?"] += 1
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.02, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the benchmark command")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    url = os.environ["ANTRE_DATABASE_URL"]
    seen: dict[str, Counter] = {
        k: Counter() for k in ("samples", "states", "waits", "lock_queries", "lock_blockers")
    }
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(url, args.every, stop, seen), daemon=True)
    sampler.start()
    try:
        code = subprocess.run(command, check=False).returncode
    finally:
        stop.set()
        sampler.join(10)
    print(f"\npg_waits: {seen['samples']['n']} samples of non-idle backends")
    for title in ("states", "waits", "lock_queries", "lock_blockers"):
        print(f"  {title}:")
        for what, count in seen[title].most_common(8):
            print(f"    {count:6d}  {what}")
    sys.exit(code)


if __name__ == "__main__":
    main()
