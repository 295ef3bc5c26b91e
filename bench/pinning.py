"""CPU pinning for bench.cluster: the servers (and their PostgreSQL backends) on some cores, the
load generator on others, so that 1 core against 2 says how throughput grows with cores.

Linux only (``os.sched_setaffinity``). A PostgreSQL backend is forked per connection by the
shared postmaster, so it cannot inherit a pin: :class:`BackendPinner` pins the backends of one
database as they appear (it reads ``pg_stat_activity`` every ``every`` seconds). The server's
own background processes (WAL writer, checkpointer) and Redis are shared with the machine and
left alone: the figures say so.
"""

from __future__ import annotations

import os
import sys
import threading

from sqlalchemy import create_engine, text

BACKENDS = text(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid()"
)


def parse_cpus(value: str) -> set[int]:
    """``"0"``, ``"0,1"``, ``"2-3"`` -> a set of CPU numbers (as taskset -c)."""
    cpus: set[int] = set()
    for part in filter(None, value.split(",")):
        low, _, high = part.partition("-")
        cpus.update(range(int(low), int(high or low) + 1))
    allowed = os.sched_getaffinity(0)
    if not cpus or not cpus <= allowed:
        raise SystemExit(f"CPUs {value!r}: not among this process's {sorted(allowed)}")
    return cpus


def pinned(cpus: set[int] | None):
    """A ``preexec_fn`` for subprocess: the child (and what it forks) runs on ``cpus``."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


class BackendPinner:
    """Pins the PostgreSQL backends of ``url``'s database to ``cpus`` until stopped."""

    def __init__(self, url: str, cpus: set[int], every: float = 0.5) -> None:
        self.url, self.cpus, self.every = url, cpus, every
        self.pinned: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> BackendPinner:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(10)
        print(f"bench.pinning: pinned {len(self.pinned)} PostgreSQL backends", file=sys.stderr)

    def _run(self) -> None:
        engine = create_engine(self.url, pool_size=1)
        try:
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT")
                while True:
                    for (pid,) in connection.execute(BACKENDS):
                        if pid not in self.pinned:
                            self._pin(pid)
                    if self._stop.wait(self.every):
                        return
        finally:
            engine.dispose()

    def _pin(self, pid: int) -> None:
        try:
            os.sched_setaffinity(pid, self.cpus)
        except (ProcessLookupError, PermissionError) as error:  # gone, or not ours to pin
            print(f"bench.pinning: backend {pid}: {error}", file=sys.stderr)
        self.pinned.add(pid)
