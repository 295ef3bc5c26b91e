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


@pytest.mark.parametrize("seed", range(8))
def test_an_arrival_moves_no_head_unless_the_pages_are_told(session, factory, publisher, seed):
    rng = random.Random(seed)
    agency = factory.agency()
    a, b, c = (factory.service(agency, priority_ratio=rng.randint(0, 3)) for _ in range(3))
    # Odd seeds: no counter serves A alone, so an A ticket is always placed in a merge with B.
    for shape in ([a], [a, b], [b, c], [c]) if seed % 2 == 0 else ([a, b], [b, c]):
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
            boost=rng.choice([1, 1, 1, 0]),
            # Mostly queued as they come (last), some placed earlier (a booking's check-in).
            queued_at=NOON_JAKARTA + timedelta(seconds=rng.choice([900 + i] * 4 + [i])),
            now=NOON_JAKARTA + timedelta(seconds=900 + i),
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
    # 7 before a site without doctors stopped looking for doctors' sessions (arrivals.py).
    assert len(statements) <= 6, "\n".join(statements)


def test_a_priority_arrival_far_back_in_the_merge_still_moves_the_heads(
    session, factory, publisher
):
    """Priority first in its own order, it is called after every ticket of the other service
    queued before it; but the older ticket it went ahead of leaves the head of the merge."""
    agency = factory.agency()
    a = factory.service(agency, priority_ratio=0)  # priority always first
    b = factory.service(agency)
    factory.counter([a, b])
    older = queue.issue_ticket(session, a.id, now=NOON_JAKARTA, check_availability=False)
    for _ in range(head_window(a) + 1):  # numbers far past the head, the tickets gone
        gone = queue.issue_ticket(session, a.id, now=NOON_JAKARTA, check_availability=False)
        queue.cancel_ticket(session, gone, now=NOON_JAKARTA)
    for i in range(head_window(b) + 5):
        queue.issue_ticket(
            session, b.id, now=NOON_JAKARTA + timedelta(seconds=1 + i), check_availability=False
        )
    session.commit()
    day = older.business_date
    before = _heads(session, [a, b], day)
    assert before[a.id][older.id].people_ahead == 0
    queue.issue_ticket(
        session, a.id, priority="lansia", now=NOON_JAKARTA + timedelta(minutes=5),
        check_availability=False,
    )  # fmt: skip
    published = _commit(session, publisher)
    after = _heads(session, [a, b], day)
    assert after != before  # the older ticket is now behind all of B's
    assert _ticket_pages_told(published) == {a.id, b.id}
