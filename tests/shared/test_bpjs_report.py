"""BPJS's waiting time per task, from our log and from what BPJS accepted; the quality rate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared import queue
from shared.bpjs.report import bpjs_wait_report, task_seconds
from shared.models import BpjsTask, Counter
from shared.outbox import enqueue
from shared.queue import doctors
from tests.hospital import build_hospital

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB


def test_task_seconds_run_from_one_task_to_the_next():
    assert task_seconds({1: 0, 2: 60_000, 3: 90_000, 5: 200_000}) == {1: 60.0, 2: 30.0}


def _serve(session, ticket, start, **finish):
    counter = session.query(Counter).filter(Counter.services.contains(ticket.service)).first()
    called = queue.call_next(session, counter, now=start)
    queue.start_ticket(session, called, now=start + timedelta(minutes=1))
    queue.finish_ticket(session, called, now=start + timedelta(minutes=5), **finish)
    return max(called.visit.tickets, key=lambda t: t.id)


def test_a_poli_day_from_our_log_and_from_what_bpjs_accepted(session, factory):
    rs = build_hospital(factory)
    row = doctors.sessions_for_day(session, rs.poli, T0.date())[0]
    walk_in = queue.issue_ticket(session, rs.poli.id, payer="jkn", doctor_session_id=row.id, now=T0)
    at_poli = _serve(session, walk_in, T0 + timedelta(minutes=10))  # tasks 1→2 10 min
    _serve(session, at_poli, T0 + timedelta(minutes=45), prescription="none")
    booked = queue.issue_ticket(session, rs.poli.id, source="booking", payer="jkn", now=T0)
    umum = queue.issue_ticket(session, rs.reg_umum.id, now=T0)  # not JKN: not counted
    # BPJS accepted task 1 and 2 of the walk-in (a delivered message each), task 3 is waiting.
    for task_id, minutes, delivered in ((1, 0, True), (2, 12, True), (3, 16, False)):
        message = enqueue(session, "bpjs", {"task": task_id}, now=T0)
        session.flush()
        if delivered:
            message.delivered_at = T0
        at = int((T0 + timedelta(minutes=minutes)).timestamp() * 1000)
        session.add(
            BpjsTask(visit_id=walk_in.visit_id, task_id=task_id, waktu=at, message_uid=message.uid)
        )
    session.commit()

    [day] = bpjs_wait_report(session, rs.site, T0.date(), T0.date())
    assert (day.poli, day.visits, day.booked) == (rs.poli.name, 2, 1)
    assert day.quality_rate == 0.5
    assert day.mean("ours", 1) == 11 * 60  # issued 08:00, registration started 08:11
    assert day.mean("ours", 3) == (46 - 15) * 60  # poli queued 08:15, poli start 08:46
    assert day.mean("accepted", 1) == 12 * 60
    assert day.mean("accepted", 2) is None  # task 3 not accepted yet
    assert umum.visit.payer == "umum" and booked.visit.payer == "jkn"
