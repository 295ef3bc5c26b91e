"""Events leave only after a commit, numbered per stream without gaps; a rollback sends nothing."""

from __future__ import annotations

from shared import events, queue
from shared.models import EventStream
from tests.shared.concurrency import NOON_JAKARTA


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
    assert events.current_seqs(session, ["/display agency:999"]) == {"/display agency:999": 0}


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
