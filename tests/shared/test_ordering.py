"""Queue order: priority groups interleaved by the service's ratio, then queue time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared import queue
from shared.queue.ordering import interleave
from tests.shared.concurrency import NOON_JAKARTA


@pytest.mark.parametrize(
    ("ratio", "streak", "expected"),
    [
        (2, 2, ["P1", "R1", "R2", "P2", "R3", "R4", "P3", "R5"]),
        (2, 0, ["R1", "R2", "P1", "R3", "R4", "P2", "R5", "P3"]),
        (0, 0, ["P1", "P2", "P3", "R1", "R2", "R3", "R4", "R5"]),
        (1, 1, ["P1", "R1", "P2", "R2", "P3", "R3", "R4", "R5"]),
    ],
)
def test_interleave_by_ratio(ratio, streak, expected):
    priority = ["P1", "P2", "P3"]
    regular = ["R1", "R2", "R3", "R4", "R5"]
    assert interleave(priority, regular, ratio, streak) == expected


def test_an_empty_queue_never_holds_the_other_back():
    assert interleave([], ["R1", "R2"], 2, 0) == ["R1", "R2"]
    assert interleave(["P1", "P2"], [], 5, 0) == ["P1", "P2"]


def test_calls_follow_the_ratio_over_the_day(session, factory):
    service = factory.service(priority_ratio=2)
    counter = factory.counter([service])
    now = NOON_JAKARTA
    labels = {}
    for i in range(4):
        labels[queue.issue_ticket(session, service.id, now=now + timedelta(seconds=i)).id] = (
            f"R{i + 1}"
        )
    for i in range(2):
        ticket = queue.issue_ticket(
            session, service.id, priority="lansia", now=now + timedelta(seconds=10 + i)
        )
        labels[ticket.id] = f"P{i + 1}"
    order = []
    for step in range(6):
        moment = now + timedelta(minutes=1 + step)
        ticket = queue.call_next(session, counter, now=moment)
        queue.start_ticket(session, ticket, now=moment)
        queue.finish_ticket(session, ticket, now=moment)
        order.append(labels[ticket.id])
    # Nobody with priority was called yet today, so P1 is due at once; then two regulars each.
    assert order == ["P1", "R1", "R2", "P2", "R3", "R4"]


def test_transfer_goes_to_the_front_or_by_issue_time(session, factory):
    dukcapil, bpjs_front, bpjs_fair = (
        factory.service(),
        factory.service(),
        factory.service(transfer_placement="issue_time"),
    )
    for s in (dukcapil, bpjs_front, bpjs_fair):
        factory.counter([s])
    citizen = queue.issue_ticket(session, dukcapil.id, now=NOON_JAKARTA)
    later = NOON_JAKARTA + timedelta(minutes=30)
    waiting_front = queue.issue_ticket(session, bpjs_front.id, now=later)
    waiting_fair = queue.issue_ticket(session, bpjs_fair.id, now=later)
    before_citizen = queue.issue_ticket(
        session, bpjs_fair.id, now=NOON_JAKARTA - timedelta(minutes=1)
    )
    counter = citizen.service.counters[0]
    queue.call_next(session, counter, now=later)
    queue.start_ticket(session, citizen, now=later)
    moved = queue.transfer_ticket(session, citizen, bpjs_front.id, now=later)
    assert [t.id for t in queue.service_order(session, bpjs_front, citizen.business_date)] == [
        moved.id,
        waiting_front.id,
    ]
    assert moved.visit_id == citizen.visit_id and citizen.status == "transferred"
    queue.start_ticket(
        session, queue.call_next(session, bpjs_front.counters[0], now=later), now=later
    )
    again = queue.transfer_ticket(session, moved, bpjs_fair.id, now=later)
    order = [t.id for t in queue.service_order(session, bpjs_fair, citizen.business_date)]
    assert order == [before_citizen.id, again.id, waiting_fair.id]
