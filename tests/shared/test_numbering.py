"""Ticket numbers: per service per business day, gapless, unique under real concurrency."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.queue.numbering import display_number
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA, issue_many

PROCESSES, PER_PROCESS = 4, 250


def test_display_number_pads_to_three_digits():
    assert display_number("A", 7) == "A-007"
    assert display_number("PB", 123) == "PB-123"
    assert display_number("A", 1234) == "A-1234"


def test_numbers_start_at_one_per_service(session, factory):
    first, second = factory.service(), factory.service()
    factory.counter([first, second])
    a = [queue.issue_ticket(session, first.id, now=NOON_JAKARTA).number for _ in range(3)]
    b = queue.issue_ticket(session, second.id, now=NOON_JAKARTA).number
    assert a == [1, 2, 3]
    assert b == 1


def test_rolled_back_ticket_gives_its_number_back(session_factory, factory, session):
    service = factory.service()
    factory.counter([service])
    session.commit()
    with session_factory() as other:
        queue.issue_ticket(other, service.id, now=NOON_JAKARTA)
        other.rollback()
    assert queue.issue_ticket(session, service.id, now=NOON_JAKARTA).number == 1


def _prepare(url: str) -> int:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        factory = Factory(session)
        service = factory.service()
        factory.counter([service])
        session.commit()
        service_id = service.id
    engine.dispose()
    return service_id


def _race(url: str) -> list[int]:
    service_id = _prepare(url)
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=issue_many, args=(url, service_id, PER_PROCESS, start, results))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    numbers = [n for _ in workers for n in results.get(timeout=240)]
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    return numbers


@pytest.mark.slow
def test_four_processes_on_one_sqlite_file_never_share_a_number(db_url):
    numbers = _race(db_url)
    assert sorted(numbers) == list(range(1, PROCESSES * PER_PROCESS + 1))


@pytest.mark.slow
@pytest.mark.postgres
def test_four_processes_on_postgresql_never_share_a_number(pg_url):
    numbers = _race(pg_url)
    assert sorted(numbers) == list(range(1, PROCESSES * PER_PROCESS + 1))
