"""A ticket queued far behind the heads is placed by counts at the commit, and the ticket pages
are told nothing: their heads did not move. The oracle is the heads placed in full before and
after every ticket (``queue_head``) and the place read afresh (``ticket_position``)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shared import queue
from shared.models import Counter, Ticket
from shared.queue.position import CallOrders, queue_head, ticket_position
from shared.queue.publishing import head_window, place_at_commit
from tests.shared.concurrency import NOON_JAKARTA

GROUPS = ["none"] * 6 + ["lansia", "ibu_hamil"]


def _heads(session, services, day) -> dict[int, dict]:
    session.expire_all()
    return {
        s.id: queue_head(session, s, CallOrders(session, day, head_window(s))).places
        for s in services
    }


def _commit(session, publisher):
    publisher.events.clear()
    session.commit()
    return list(publisher.events)


def _ticket_pages_told(published) -> set[int]:
    return {
        ev.payload["service_id"]
        for ev in published
        if (ev.namespace, ev.name) == ("/ticket", "queue.changed")
    }


@pytest.mark.parametrize("seed", range(5))
def test_an_arrival_moves_no_head_unless_the_pages_are_told(session, factory, publisher, seed):
    rng = random.Random(seed)
    agency = factory.agency()
    a, b, c = (factory.service(agency, priority_ratio=rng.randint(0, 3)) for _ in range(3))
    for shape in ([a], [a, b], [b, c], [c]):
        factory.counter(shape, status=rng.choice([Counter.OPEN, "closed"]))
    session.commit()
    quiet = told = 0
    day = None  # the business day, known from the first ticket
    for i in range(100):
        service = rng.choice([a, b, c])
        before = _heads(session, [a, b, c], day) if day else None
        last = queue.issue_ticket(
            session,
            service.id,
            priority=rng.choice(GROUPS) if service is a else "none",  # B, C stay countable
            boost=rng.choice([0, 0, 0, 1]),
            queued_at=NOON_JAKARTA + timedelta(seconds=rng.randint(0, 900)),
            now=NOON_JAKARTA + timedelta(seconds=i),
            check_availability=False,
        )
        published = _commit(session, publisher)
        place = place_at_commit(session, last)
        summaries = [e for e in published if (e.namespace, e.name) == ("/kiosk", "queue.changed")]
        assert [e.payload["service_id"] for e in summaries] == [service.id]
        waiting = session.scalar(
            select(func.count()).where(
                Ticket.service_id == service.id,
                Ticket.business_date == last.business_date,
                Ticket.status == "waiting",
            )
        )
        assert summaries[0].payload["waiting"] == waiting
        assert place is None or place == ticket_position(session, last)
        if before is None:
            day = last.business_date
            continue
        if _ticket_pages_told(published):
            told += 1
        else:
            quiet += 1
            assert place is not None  # counted at the commit, for the kiosk's answer
            assert _heads(session, [a, b, c], day) == before
    assert quiet >= 10 and told >= 5, (quiet, told)  # both ways were taken


def test_a_ticket_far_behind_takes_fewer_statements(session, factory, publisher):
    """The head path for the first tickets, the counted one once the queue is long."""
    from sqlalchemy import event

    service = factory.service(factory.agency())
    factory.counter([service])
    session.commit()
    statements: list[str] = []

    def count(*_args) -> None:
        statements.append(_args[2])

    engine = session.get_bind()
    for i in range(25):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA, check_availability=False)
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        published = _commit(session, publisher)
        event.remove(engine, "before_cursor_execute", count)
        if i < head_window(service):
            assert _ticket_pages_told(published) == {service.id}
    assert not _ticket_pages_told(published)
    assert not any("alert_subscription" in s for s in statements)
    assert len(statements) <= 7, "\n".join(statements)
