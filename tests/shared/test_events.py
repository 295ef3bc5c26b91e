"""Events leave only after a commit, numbered per stream without gaps; a rollback sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from shared import events, queue
from shared.models import EventStream, Ticket
from shared.queue.position import HEAD_WINDOW
from tests.shared.concurrency import NOON_JAKARTA
from tests.statements import counted


def test_nothing_is_published_before_the_commit(session, factory, publisher):
    service = factory.service()
    factory.counter([service])
    session.commit()
    publisher.events.clear()
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.flush()
    assert publisher.events == []
    session.commit()
    names = {(e.namespace, e.name) for e in publisher.events}
    assert ("/counter", "ticket.changed") in names
    assert ("/display", "queue.changed") in names
    assert ("/ticket", "queue.changed") in names


def test_a_rolled_back_change_publishes_nothing_and_uses_no_sequence_number(
    session, factory, publisher
):
    service = factory.service()
    factory.counter([service])
    session.commit()
    publisher.events.clear()
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.rollback()
    assert publisher.events == []
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.commit()
    seqs = [
        e.seq for e in publisher.events if e.name == "ticket.changed" and e.namespace == "/counter"
    ]
    assert seqs == [1]


def test_sequence_numbers_are_gapless_per_stream(session, factory, publisher):
    service = factory.service()
    counter = factory.counter([service])
    session.commit()
    for _ in range(3):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
        session.commit()
    queue.call_next(session, counter, now=NOON_JAKARTA)
    session.commit()
    by_stream: dict[str, list[int]] = {}
    for event in publisher.events:
        by_stream.setdefault(event.stream, []).append(event.seq)
    for stream, seqs in by_stream.items():
        assert seqs == list(range(1, len(seqs) + 1)), stream
    stored = {row.name: row.last_seq for row in session.query(EventStream)}
    assert stored == {stream: len(seqs) for stream, seqs in by_stream.items()}
    assert events.room_seqs(session, "/display", ["agency:999"]) == {"agency:999": 0}


def test_one_queue_summary_per_service_however_many_changes(session, factory, publisher):
    service = factory.service()
    factory.counter([service])
    session.commit()
    publisher.events.clear()
    for _ in range(5):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.commit()
    summaries = [
        e for e in publisher.events if e.name == "queue.changed" and e.namespace == "/display"
    ]
    assert len(summaries) == 1
    assert summaries[0].payload["waiting"] == 5


def test_only_changes_that_move_the_queue_send_a_queue_summary(session, factory, publisher):
    """Starting a service or recalling leaves the waiting list and the live rate as they were, so
    TVs, kiosks and ticket pages hear nothing new; calling and finishing do move them."""
    service = factory.service(recall_limit=2)
    counter = factory.counter([service])
    for _ in range(2):
        queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    session.commit()

    def summaries_after(change) -> list[str]:
        publisher.events.clear()
        change()
        session.commit()
        return [e.namespace for e in publisher.events if e.name == "queue.changed"]

    ticket = queue.call_next(session, counter, now=NOON_JAKARTA)
    session.commit()
    assert summaries_after(lambda: queue.recall_ticket(session, ticket, now=NOON_JAKARTA)) == []
    assert summaries_after(lambda: queue.start_ticket(session, ticket, now=NOON_JAKARTA)) == []
    finished = summaries_after(lambda: queue.finish_ticket(session, ticket, now=NOON_JAKARTA))
    assert sorted(finished) == ["/kiosk", "/ticket"]  # the TVs' rides inside counter.cleared
    (cleared,) = [e for e in publisher.events if e.name == "counter.cleared"]
    assert cleared.payload["service_id"] == cleared.payload["queue"]["service_id"] == service.id
    called = summaries_after(lambda: queue.call_next(session, counter, now=NOON_JAKARTA))
    assert sorted(called) == ["/kiosk", "/ticket"]  # the TVs' rides inside ticket.called
    (call,) = [e for e in publisher.events if e.name == "ticket.called"]
    assert (
        call.payload["queue"]["service_id"] == service.id and call.payload["queue"]["waiting"] == 0
    )


def test_the_commit_places_the_queue_as_of_the_actions_time_not_the_clock(
    session, factory, publisher
):
    """The queue's summary and its ticket pages' head are computed at the commit, as of the time
    the action was given (events.changed_at): on that business day the ticket waits; on the wall
    clock's day nobody does."""
    long_ago = datetime(2025, 3, 3, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB
    service = factory.service()
    factory.counter([service])
    session.commit()
    publisher.events.clear()
    ticket = queue.issue_ticket(session, service.id, now=long_ago)
    assert events.changed_at(session) == long_ago
    session.commit()
    assert events.changed_at(session) is None  # gone with the transaction's changes
    (summary,) = [
        e for e in publisher.events if (e.namespace, e.name) == ("/kiosk", "queue.changed")
    ]
    (order,) = [
        e for e in publisher.events if (e.namespace, e.name) == ("/ticket", "queue.changed")
    ]
    assert summary.payload["waiting"] == 1
    assert [place["id"] for place in order.payload["head"]] == [ticket.id]


def _waiting(session, service) -> int:
    stmt = select(func.count()).where(Ticket.service_id == service.id, Ticket.status == "waiting")
    return session.scalar(stmt)


def test_a_summary_counts_the_waiting_from_a_head_that_holds_them_all(session, factory, publisher):
    """A call's summary takes the waiting count from the head it placed when the head holds the
    whole queue (fewer than a window of calls), and counts along the index otherwise: the same
    number either way, one statement less for a short queue."""
    service = factory.service()
    counter = factory.counter([service, factory.service(service.agency)])
    session.commit()
    for waiting in (0, 3, HEAD_WINDOW - 1, HEAD_WINDOW, HEAD_WINDOW + 4):
        while _waiting(session, service) < waiting + 1:  # the call takes one
            queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
        session.commit()
        publisher.events.clear()
        with counted(session.get_bind()) as statements:
            called = queue.call_next(session, counter, now=NOON_JAKARTA)
            session.commit()
        (summary,) = [
            e.payload
            for e in publisher.events
            if e.name == "queue.changed" and e.namespace == "/kiosk"
        ]
        assert summary["waiting"] == waiting == _waiting(session, service)
        counts = [s for s in statements if s.startswith("SELECT count(*)")]
        assert len(counts) == (0 if waiting < HEAD_WINDOW else 1), waiting
        queue.start_ticket(session, called, now=NOON_JAKARTA)
        queue.finish_ticket(session, called, now=NOON_JAKARTA)
        session.commit()
