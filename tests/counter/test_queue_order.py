"""The console lists a counter's queue in the order its "call next" takes it."""

from __future__ import annotations

from datetime import timedelta

from counter.snapshots import waiting_for
from shared import queue
from tests.shared.concurrency import NOON_JAKARTA


def test_the_console_lists_what_call_next_takes_first(session, factory):
    """The issue's counter serving A and B listed A-002 (lansia), A-001, B-001; call next took
    B-001 first."""
    agency = factory.agency()
    a = factory.service(agency, prefix="A")
    b = factory.service(agency, prefix="B")
    counter = factory.counter([a, b])
    queue.issue_ticket(session, a.id, now=NOON_JAKARTA)
    queue.issue_ticket(session, b.id, now=NOON_JAKARTA + timedelta(seconds=10))
    queue.issue_ticket(session, a.id, priority="lansia", now=NOON_JAKARTA + timedelta(seconds=20))
    day = NOON_JAKARTA.date()
    listed = [(row["position"], row["number"]) for row in waiting_for(session, counter, day)]
    assert listed == [(1, "B-001"), (2, "A-002"), (3, "A-001")]
    called = queue.call_next(session, counter, now=NOON_JAKARTA + timedelta(minutes=1))
    assert called.display_number == listed[0][1]
