"""People ahead: the number of tickets "call next" takes before this one, in one function."""

from __future__ import annotations

from datetime import timedelta

from shared import queue
from shared.queue.position import queue_positions, ticket_position
from tests.shared.concurrency import NOON_JAKARTA


def _issue(session, service, at, priority="none"):
    return queue.issue_ticket(session, service.id, priority=priority, now=at)


def _call_all(session, counter, start):
    """Call next until the queue is empty, as the clerk would: the ids in call order."""
    called = []
    for step in range(100):
        moment = start + timedelta(minutes=step)
        ticket = queue.call_next(session, counter, now=moment)
        if ticket is None:
            return called
        queue.start_ticket(session, ticket, now=moment)
        queue.finish_ticket(session, ticket, now=moment)
        called.append(ticket.id)
    raise AssertionError("the queue never emptied")


def test_the_issue_scenario_a_counter_serving_a_and_b(session, factory):
    """A-007 (regular), then B-001, then A-008 (lansia) at a counter serving A and B: the console
    listed A-008, A-007, B-001, call next took B-001 before A-007, and the phone of A-007 said
    "1 orang di depan Anda" while two people were called first."""
    agency = factory.agency()
    a = factory.service(agency, prefix="A")
    b = factory.service(agency, prefix="B")
    counter = factory.counter([a, b])
    a7 = _issue(session, a, NOON_JAKARTA)
    b1 = _issue(session, b, NOON_JAKARTA + timedelta(seconds=10))
    a8 = _issue(session, a, NOON_JAKARTA + timedelta(seconds=20), priority="lansia")
    ahead = {t.display_number: ticket_position(session, t).people_ahead for t in (a7, b1, a8)}
    assert ahead == {"A-001": 2, "B-001": 0, "A-002": 1}

    called = _call_all(session, counter, NOON_JAKARTA + timedelta(minutes=1))
    assert called == [b1.id, a8.id, a7.id]


def test_positions_match_what_call_next_takes(session, factory):
    """Two services with priority tickets at one counter: every ticket's people ahead is its
    index in the sequence call next then really takes."""
    agency = factory.agency()
    a = factory.service(agency, priority_ratio=2)
    b = factory.service(agency, priority_ratio=1)
    counter = factory.counter([a, b])
    plan = [(a, "none"), (b, "none"), (a, "lansia"), (a, "none"), (b, "disabilitas"), (a, "none")]
    plan += [(b, "none"), (a, "ibu_hamil"), (b, "none"), (a, "none"), (b, "lansia")]
    tickets = [
        _issue(session, service, NOON_JAKARTA + timedelta(seconds=i), priority)
        for i, (service, priority) in enumerate(plan)
    ]
    predicted = {t.id: ticket_position(session, t).people_ahead for t in tickets}
    called = _call_all(session, counter, NOON_JAKARTA + timedelta(minutes=1))
    assert {ticket_id: index for index, ticket_id in enumerate(called)} == predicted


def test_the_counter_that_reaches_a_ticket_soonest_counts(session, factory):
    """Counters with different services: the fewest tickets any one of them would call first."""
    agency = factory.agency()
    a = factory.service(agency, prefix="A")
    b = factory.service(agency, prefix="B")
    factory.counter([a, b])
    b_only = factory.counter([b])
    b1 = _issue(session, b, NOON_JAKARTA)
    a1 = _issue(session, a, NOON_JAKARTA + timedelta(seconds=1))
    b2 = _issue(session, b, NOON_JAKARTA + timedelta(seconds=2))
    day = a1.business_date
    # The A+B counter would take B-001 first; A-001 has nobody else to wait for.
    assert ticket_position(session, a1).people_ahead == 1
    # B-002: the B counter alone reaches it after B-001 only.
    placed = queue_positions(session, b, day)
    assert placed.order == [b1.id, b2.id]
    assert placed.people_ahead == [0, 1]
    # Closed, the B counter no longer calls: then B-002 waits behind B-001 and A-001.
    queue.set_counter_status(session, b_only, "closed")
    assert queue_positions(session, b, day).people_ahead == [0, 2]


def test_estimate_follows_the_same_places(session, factory):
    agency = factory.agency()
    a = factory.service(agency, avg_service_minutes=6)
    b = factory.service(agency)
    factory.counter([a, b])
    _issue(session, b, NOON_JAKARTA)
    first_a = _issue(session, a, NOON_JAKARTA + timedelta(seconds=1))
    assert ticket_position(session, first_a) == queue.Position(1, 6)
