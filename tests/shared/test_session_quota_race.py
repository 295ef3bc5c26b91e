"""The last JKN places of a doctor's session, raced for by four processes: each place goes to
exactly one visit, the rest are refused, on one SQLite file and on PostgreSQL."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from shared.db import make_engine, make_session_factory
from shared.queue import doctors
from tests.factories import Factory
from tests.hospital import build_hospital
from tests.shared.concurrency import NOON_JAKARTA, take_places

PROCESSES, TRIES, QUOTA = 4, 3, 5


def _race(url: str) -> list:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rs = build_hospital(Factory(session), capacity=QUOTA + 2, quota_jkn=QUOTA)
        [row] = doctors.sessions_for_day(session, rs.poli, NOON_JAKARTA.date())
        service_id, session_id = rs.poli.id, row.id
        session.commit()
    engine.dispose()
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=take_places, args=(url, service_id, session_id, TRIES, start, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = [o for _ in workers for o in results.get(timeout=240)]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    return outcomes


def _check(outcomes: list) -> None:
    numbers = sorted(o for o in outcomes if o != "full")
    assert numbers == list(range(1, QUOTA + 1))
    assert outcomes.count("full") == PROCESSES * TRIES - QUOTA


@pytest.mark.slow
def test_four_processes_on_sqlite_sell_each_last_place_once(db_url):
    _check(_race(db_url))


@pytest.mark.slow
@pytest.mark.postgres
def test_four_processes_on_postgresql_sell_each_last_place_once(pg_url):
    _check(_race(pg_url))
