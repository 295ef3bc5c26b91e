"""Milestones of a visit from its ticket log: BPJS task ids and SATUSEHAT's statusHistory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Ticket, TicketLog, Visit
from shared.queue import milestones
from shared.queue.milestones import epoch_ms
from tests.factories import Factory
from tests.hospital import build_hospital

T0 = datetime(2026, 11, 23, 1, 0, 0, 250_000, tzinfo=UTC)  # Monday 08:00:00.250 WIB


def at(seconds: float, ms: int = 0) -> datetime:
    return T0 + timedelta(seconds=seconds, milliseconds=ms)


@pytest.fixture
def rs(factory):
    return build_hospital(factory)


def _counter(session, ticket) -> Counter:
    return session.query(Counter).filter(Counter.services.contains(ticket.service)).first()


def serve(session, ticket, call, start, finish, **finishing) -> Ticket:
    """Call, start and finish ``ticket`` at the given times; the visit's newest ticket after."""
    called = queue.call_next(session, _counter(session, ticket), now=call)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=start)
    queue.finish_ticket(session, called, now=finish, **finishing)
    return max(called.visit.tickets, key=lambda t: t.id)


def tasks(session, visit) -> list[tuple[int, int]]:
    return [(t["taskid"], t["waktu"]) for t in milestones.bpjs_tasks(session, visit)]


def test_a_jkn_visit_reports_tasks_1_to_7_in_milliseconds(session, rs):
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", now=at(0))
    poli = serve(session, ticket, at(60, 7), at(61, 1), at(120))
    pharmacy = serve(session, poli, at(300), at(301, 500), at(600), prescription="non_racikan")
    assert pharmacy.service_id == rs.non_racikan.id
    serve(session, pharmacy, at(700), at(705, 3), at(900, 999))

    assert tasks(session, ticket.visit) == [
        (1, epoch_ms(at(0))),
        (2, epoch_ms(at(61, 1))),
        (3, epoch_ms(at(120))),
        (4, epoch_ms(at(301, 500))),
        (5, epoch_ms(at(600))),
        (6, epoch_ms(at(705, 3))),
        (7, epoch_ms(at(900, 999))),
    ]
    assert epoch_ms(at(0)) == 1795395600250  # integers, no float rounding


def test_coinciding_tasks_are_put_one_millisecond_apart(session, rs):
    ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=at(0))
    # Started and finished in the same millisecond: task 3 (the poli's issue) equals task 2.
    poli = serve(session, ticket, at(10), at(20), at(20))
    # The pharmacy clerk calls and starts at the very instant the poli finishes (task 5 = 6).
    pharmacy = serve(session, poli, at(30), at(31), at(40), prescription="racikan")
    serve(session, pharmacy, at(40), at(40), at(50))

    found = tasks(session, ticket.visit)
    assert [t for t, _ in found] == [1, 2, 3, 4, 5, 6, 7]
    assert found[2][1] == found[1][1] + 1 == epoch_ms(at(20)) + 1
    assert found[5][1] == epoch_ms(at(40)) + 1
    times = [w for _, w in found]
    assert times == sorted(set(times))  # strictly increasing


def test_a_visit_sent_back_keeps_the_first_occurrence_of_each_task(session, rs):
    ticket = queue.issue_ticket(session, rs.reg_umum.id, now=at(0))
    poli = serve(session, ticket, at(10), at(11), at(20))
    back = serve(session, poli, at(30), at(31), at(40), next_service_id=rs.reg_umum.id)
    assert back.service_id == rs.reg_umum.id
    poli_again = serve(session, back, at(50), at(51), at(60))
    assert poli_again.service_id == rs.poli.id
    serve(session, poli_again, at(70), at(71), at(80), prescription="none")

    found = tasks(session, ticket.visit)
    assert [t for t, _ in found] == [1, 2, 3, 4, 5]
    assert dict(found) == {
        1: epoch_ms(at(0)),
        2: epoch_ms(at(11)),
        3: epoch_ms(at(20)),
        4: epoch_ms(at(31)),
        5: epoch_ms(at(40)),
    }


def test_a_booking_checked_in_at_the_poli_starts_at_task_3(session, rs):
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", source="booking", now=at(0))
    assert ticket.service_id == rs.poli.id
    serve(session, ticket, at(10), at(10, 1), at(30), prescription="none")
    assert tasks(session, ticket.visit) == [
        (3, epoch_ms(at(0))),
        (4, epoch_ms(at(10, 1))),
        (5, epoch_ms(at(30))),
    ]


def test_registration_without_a_start_reports_its_call_as_task_2(session, rs):
    ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=at(0))
    called = queue.call_next(session, _counter(session, ticket), now=at(5))
    for n in range(called.service.recall_limit):
        queue.recall_ticket(session, called, now=at(6 + n))
    queue.mark_no_show(session, called, now=at(30))
    assert tasks(session, ticket.visit) == [
        (1, epoch_ms(at(0))),
        (2, epoch_ms(at(5))),
        (99, epoch_ms(at(30))),
    ]


def test_a_cancelled_visit_ends_with_99_and_a_reactivated_no_show_does_not(session, rs):
    cancelled = queue.issue_ticket(session, rs.reg_jkn.id, now=at(0))
    queue.cancel_ticket(session, cancelled, now=at(9))
    assert tasks(session, cancelled.visit) == [(1, epoch_ms(at(0))), (99, epoch_ms(at(9)))]

    skipped = queue.issue_ticket(session, rs.reg_umum.id, now=at(20))
    called = queue.call_next(session, _counter(session, skipped), now=at(21))
    for n in range(called.service.recall_limit):
        queue.recall_ticket(session, called, now=at(22 + n))
    queue.mark_no_show(session, called, now=at(30))
    queue.reactivate_ticket(session, called, now=at(40))
    assert [t for t, _ in tasks(session, skipped.visit)] == [1, 2]


def test_a_visit_on_no_pathway_has_no_tasks(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=at(0))
    assert milestones.bpjs_tasks(session, ticket.visit) == []


def test_encounter_status_history_goes_arrived_in_progress_finished(session, rs):
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", now=at(0))
    poli = serve(session, ticket, at(60), at(61, 5), at(120))
    history = milestones.encounter_status_history(session, ticket.visit)
    assert [h["status"] for h in history] == ["arrived"]
    assert history[0]["period"] == {"start": "2026-11-23T01:00:00.250+00:00"}

    serve(session, poli, at(300), at(301, 500), at(600), prescription="none")
    history = milestones.encounter_status_history(session, ticket.visit)
    assert history == [
        {
            "status": "arrived",
            "period": {
                "start": "2026-11-23T01:00:00.250+00:00",
                "end": "2026-11-23T01:05:01.750+00:00",
            },
        },
        {
            "status": "in-progress",
            "period": {
                "start": "2026-11-23T01:05:01.750+00:00",
                "end": "2026-11-23T01:10:00.250+00:00",
            },
        },
        {
            "status": "finished",
            "period": {
                "start": "2026-11-23T01:10:00.250+00:00",
                "end": "2026-11-23T01:10:00.250+00:00",
            },
        },
    ]


def _milliseconds_survive(url: str) -> None:
    """Write log rows with odd milliseconds, commit, and read them back in a fresh session."""
    engine = make_engine(url)
    factory_ = make_session_factory(engine)
    try:
        with factory_() as session:
            rs = build_hospital(Factory(session))
            ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=at(0, 1))
            serve(session, ticket, at(1, 23), at(2, 456), at(3, 999))
            visit_id = ticket.visit_id
            session.commit()
        with factory_() as session:
            rows = session.query(TicketLog).order_by(TicketLog.id).all()
            wanted = {at(0, 1), at(1, 23), at(2, 456), at(3, 999)}
            assert {r.at for r in rows} == wanted  # issue, call, start, finish + poli issue
            visit = session.get(Visit, visit_id)
            assert tasks(session, visit)[:3] == [
                (1, epoch_ms(at(0, 1))),
                (2, epoch_ms(at(2, 456))),
                (3, epoch_ms(at(3, 999))),
            ]
    finally:
        engine.dispose()


def test_ticket_log_keeps_milliseconds_on_sqlite(db_url):
    _milliseconds_survive(db_url)


def test_ticket_log_keeps_milliseconds_on_postgresql(pg_url):
    _milliseconds_survive(pg_url)


def test_a_reactivated_no_show_reports_its_service_start_as_task_2(session, rs):
    """Called, skipped, then back in the queue and served: task 2 is when its service started,
    not the first call the patient missed."""
    ticket = queue.issue_ticket(session, rs.reg_umum.id, now=at(0))
    called = queue.call_next(session, _counter(session, ticket), now=at(5))
    for n in range(called.service.recall_limit):
        queue.recall_ticket(session, called, now=at(6 + n))
    queue.mark_no_show(session, called, now=at(20))
    queue.reactivate_ticket(session, called, now=at(30))
    serve(session, called, at(40), at(41), at(50))
    assert tasks(session, ticket.visit)[:3] == [
        (1, epoch_ms(at(0))),
        (2, epoch_ms(at(41))),
        (3, epoch_ms(at(50))),
    ]
