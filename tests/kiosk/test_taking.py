"""take_ticket under concurrency, on SQLite and the real PostgreSQL: quota and idempotency hold."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from shared.db import make_engine, make_session_factory
from shared.models import Ticket
from shared.queue.errors import QuotaExhausted
from shared.queue.taking import take_ticket
from tests.factories import Factory


def _race(url: str, count: int, key_of) -> tuple[list[str], int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        make = Factory(session)
        service = make.service(daily_quota=10)
        make.counter([service])
        session.commit()
        service_id = service.id
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def one(index: int) -> None:
        with factory() as session:
            barrier.wait()
            try:
                _ticket, created = take_ticket(session, service_id, idempotency_key=key_of(index))
                session.commit()
                outcomes.append("created" if created else "same")
            except QuotaExhausted:
                session.rollback()
                outcomes.append("quota")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with factory() as session:
        tickets = session.execute(
            select(func.count()).where(Ticket.service_id == service_id)
        ).scalar_one()
    engine.dispose()
    return sorted(outcomes), tickets


@pytest.fixture(params=["sqlite", "postgres"])
def url(request, db_url):
    if request.param == "sqlite":
        return db_url
    return request.getfixturevalue("pg_url")


def test_twenty_takes_ten_left(url):
    outcomes, tickets = _race(url, 20, lambda i: f"serbu-{i:04d}")
    assert outcomes == ["created"] * 10 + ["quota"] * 10
    assert tickets == 10


def test_eight_taps_one_key(url):
    outcomes, tickets = _race(url, 8, lambda _i: "ketuk-ketuk-1")
    assert outcomes == ["created"] + ["same"] * 7
    assert tickets == 1
