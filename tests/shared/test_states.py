"""Every state transition, valid and invalid, as one table."""

from __future__ import annotations

import pytest

from shared import queue
from shared.models import TicketLog
from shared.queue import errors, states
from tests.shared.concurrency import NOON_JAKARTA

ACTIONS = {
    "call": lambda s, t, c, target: queue.call_ticket(s, c, t, now=NOON_JAKARTA),
    "recall": lambda s, t, c, target: queue.recall_ticket(s, t, now=NOON_JAKARTA),
    "start": lambda s, t, c, target: queue.start_ticket(s, t, now=NOON_JAKARTA),
    "finish": lambda s, t, c, target: queue.finish_ticket(s, t, now=NOON_JAKARTA),
    "no_show": lambda s, t, c, target: _no_show(s, t),
    "cancel": lambda s, t, c, target: queue.cancel_ticket(s, t, now=NOON_JAKARTA),
    "transfer": lambda s, t, c, target: queue.transfer_ticket(s, t, target.id, now=NOON_JAKARTA),
    "reactivate": lambda s, t, c, target: queue.reactivate_ticket(s, t, now=NOON_JAKARTA),
}


def _no_show(session, ticket):
    # The rule wants the service's recalls first; for a ticket not called, recall itself fails.
    if ticket.status == "called":
        while ticket.recall_count < ticket.service.recall_limit:
            queue.recall_ticket(session, ticket, now=NOON_JAKARTA)
    return queue.mark_no_show(session, ticket, now=NOON_JAKARTA)


# How to bring a fresh ticket into each state.
PATHS = {
    "waiting": [],
    "called": ["call"],
    "serving": ["call", "start"],
    "done": ["call", "start", "finish"],
    "no_show": ["call", "no_show"],
    "cancelled": ["cancel"],
    "transferred": ["call", "start", "transfer"],
}

EXPECTED = {
    (source, action): target
    for action, (sources, target) in states.TRANSITIONS.items()
    for source in sources
}
TABLE = [
    (source, action, EXPECTED.get((source, action)))
    for source in states.STATUSES
    for action in states.TRANSITIONS
]


@pytest.fixture
def setup(session, factory):
    service = factory.service(recall_limit=2)
    target = factory.service()
    counter = factory.counter([service])
    factory.counter([target])
    return service, target, counter


def _ticket_in(session, setup, state):
    service, target, counter = setup
    ticket = queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    for step in PATHS[state]:
        ACTIONS[step](session, ticket, counter, target)
    assert ticket.status == state
    return ticket


@pytest.mark.parametrize(("source", "action", "target"), TABLE)
def test_transition(session, setup, source, action, target):
    ticket = _ticket_in(session, setup, source)
    _, target_service, counter = setup
    logged = session.query(TicketLog).filter_by(ticket_id=ticket.id).count()
    if target is None:
        with pytest.raises(errors.InvalidTransition):
            ACTIONS[action](session, ticket, counter, target_service)
        assert ticket.status == source
        assert session.query(TicketLog).filter_by(ticket_id=ticket.id).count() == logged
        return
    ACTIONS[action](session, ticket, counter, target_service)
    assert ticket.status == target
    last = (
        session.query(TicketLog)
        .filter_by(ticket_id=ticket.id)
        .order_by(TicketLog.id.desc())
        .first()
    )
    assert (last.action, last.from_status, last.to_status) == (action, source, target)


def test_recall_stops_at_the_limit_and_no_show_needs_the_recalls(session, setup):
    ticket = _ticket_in(session, setup, "called")
    with pytest.raises(errors.RecallsRequired):
        queue.mark_no_show(session, ticket, now=NOON_JAKARTA)
    queue.recall_ticket(session, ticket, now=NOON_JAKARTA)
    queue.recall_ticket(session, ticket, now=NOON_JAKARTA)
    with pytest.raises(errors.RecallLimitReached):
        queue.recall_ticket(session, ticket, now=NOON_JAKARTA)
    queue.mark_no_show(session, ticket, now=NOON_JAKARTA)
    assert ticket.status == "no_show"


def test_reactivated_ticket_waits_again_at_its_place(session, setup):
    service, _, counter = setup
    ticket = _ticket_in(session, setup, "no_show")
    queue.reactivate_ticket(session, ticket, now=NOON_JAKARTA)
    assert (ticket.status, ticket.counter_id, ticket.recall_count) == ("waiting", None, 0)
    assert queue.call_next(session, counter, now=NOON_JAKARTA).id == ticket.id
