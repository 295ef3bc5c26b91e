"""Event numbering on the real PostgreSQL: no transaction waits on another's open transaction
for its rooms' sequence numbers, and a snapshot's data is at least as new as its numbers."""

from __future__ import annotations

from sqlalchemy import text

from shared import events, queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Ticket
from shared.queue import publishing
from tests.factories import Factory
from tests.shared.concurrency import NOON_JAKARTA


def _world(pg_url, publisher):
    engine = make_engine(pg_url)
    factory = make_session_factory(engine, publisher)
    with factory() as session:
        make = Factory(session)
        agency = make.agency()
        first, second = make.service(agency=agency), make.service(agency=agency)
        counter = make.counter([first, second])
        session.commit()
        ids = first.id, second.id, counter.id, agency.id
    return engine, factory, ids


def test_an_open_transaction_does_not_hold_up_another_in_the_same_rooms(pg_url):
    """One kiosk's ticket transaction is open (its number taken, its events recorded to the
    agency's rooms); a ticket of another service of the same agency commits without waiting.
    lock_timeout turns a wait into an error instead of a hang."""
    publisher = events.RecordingPublisher()
    engine, factory, (first_id, second_id, _counter, agency_id) = _world(pg_url, publisher)
    with factory() as holding, factory() as other:
        queue.issue_ticket(holding, first_id, now=NOON_JAKARTA)
        holding.flush()
        assert events.pending(holding)
        other.execute(text("SET LOCAL lock_timeout = '5s'"))
        queue.issue_ticket(other, second_id, now=NOON_JAKARTA)
        other.commit()
        holding.commit()
    room = publishing.agency_room(agency_id)
    seqs = [e.seq for e in publisher.events if e.namespace == "/counter" and e.room == room]
    assert seqs == [1, 2]  # numbered in commit order, no gap, no duplicate
    engine.dispose()


def test_a_snapshot_reads_its_data_after_its_numbers(pg_url):
    """An object loaded before the numbers is read again after them: the call committed in
    between is in the snapshot, so the client, which skips events up to the snapshot's seq,
    misses nothing."""
    publisher = events.RecordingPublisher()
    engine, factory, (first_id, _second, counter_id, agency_id) = _world(pg_url, publisher)
    with factory() as session:
        ticket_id = queue.issue_ticket(session, first_id, now=NOON_JAKARTA).id
        session.commit()
    room = publishing.agency_room(agency_id)
    with factory() as snapshot, factory() as clerk:
        ticket = snapshot.get(Ticket, ticket_id)
        assert ticket.status == "waiting"
        assert queue.call_next(clerk, clerk.get(Counter, counter_id), now=NOON_JAKARTA)
        clerk.commit()
        seq = events.room_seqs(snapshot, publishing.COUNTER, [room])[room]
        published = [e for e in publisher.events if e.namespace == "/counter" and e.room == room]
        assert seq == published[-1].seq  # the call's event is numbered in...
        assert ticket.status == "called"  # ...and its change is in the data
    engine.dispose()
