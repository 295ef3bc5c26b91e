"""Pathways: a visit moves registration → poli → pharmacy → cashier, one code all the way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared import queue
from shared.models import Counter, Ticket
from shared.queue import doctors, pathways
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.fixture
def rs(factory):
    return build_hospital(factory)


def _serve(session, ticket, **finish):
    counter = session.query(Counter).filter(Counter.services.contains(ticket.service)).first()
    called = queue.call_next(session, counter, now=NOW)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=NOW)
    queue.finish_ticket(session, called, now=NOW, **finish)
    return max(called.visit.tickets, key=lambda t: t.id)


def test_a_poli_chosen_at_the_kiosk_queues_first_at_the_payers_registration(session, rs):
    session_row = doctors.sessions_for_day(session, rs.poli, NOW.date())[0]
    ticket = queue.issue_ticket(
        session, rs.poli.id, payer="jkn", doctor_session_id=session_row.id, now=NOW
    )
    assert ticket.service_id == rs.reg_jkn.id
    assert ticket.visit.plan == {"2": rs.poli.id}
    assert ticket.visit.session_number == 1
    assert session_row.quota_jkn_left == 23

    at_poli = _serve(session, ticket)
    assert at_poli.service_id == rs.poli.id
    assert at_poli.doctor_session_id == session_row.id
    assert at_poli.display_number == f"{rs.poli.prefix}-001"

    at_pharmacy = _serve(session, at_poli, prescription="racikan")
    assert at_pharmacy.service_id == rs.racikan.id
    # JKN: no cashier; the visit ends at the pharmacy.
    assert _serve(session, at_pharmacy).id == at_pharmacy.id
    path = pathways.path_json(ticket.visit)
    assert [p["status"] for p in path] == ["done", "done", "done"]


def test_umum_goes_on_to_the_cashier_and_the_clerk_may_skip_pharmacy(session, rs):
    ticket = queue.issue_ticket(session, rs.reg_umum.id, now=NOW)
    assert ticket.visit.payer == "umum"
    path = pathways.path_json(ticket.visit)
    assert [p["status"] for p in path] == ["waiting", "planned", "planned", "planned"]
    at_poli = _serve(session, ticket)
    at_cashier = _serve(session, at_poli, prescription="none")
    assert at_cashier.service_id == rs.cashier.id
    back = _serve(session, at_cashier, next_service_id=rs.reg_umum.id)
    assert back.service_id == rs.reg_umum.id and back.step == 1


def test_the_last_jkn_place_goes_to_one_visit(session, factory):
    rs = build_hospital(factory, capacity=2, quota_jkn=1)
    row = doctors.sessions_for_day(session, rs.poli, NOW.date())[0]
    queue.issue_ticket(session, rs.poli.id, payer="jkn", doctor_session_id=row.id, now=NOW)
    with pytest.raises(doctors.SessionFull):
        queue.issue_ticket(session, rs.poli.id, payer="jkn", doctor_session_id=row.id, now=NOW)
    session.rollback()


def test_a_service_on_no_pathway_behaves_as_before(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    assert ticket.visit.pathway_id is None and ticket.step is None
    done = _serve(session, ticket)
    assert done.id == ticket.id and session.query(Ticket).count() == 1
