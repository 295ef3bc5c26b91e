"""Which calls go to a consulting room (the TV names the poli): decided by data, not by kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared import queue
from shared.queue import doctors, payloads
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


@pytest.fixture
def rs(factory):
    return build_hospital(factory)


def _call(session, service, ticket):
    counter = service.counters[0]
    called = queue.call_next(session, counter, now=NOW)
    assert called.id == ticket.id
    return payloads.call_announcement(called)


def test_registration_is_a_counter_and_the_poli_a_room(session, rs):
    row = doctors.sessions_for_day(session, rs.poli, NOW.date())[0]
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", doctor_session_id=row.id, now=NOW)
    assert _call(session, rs.reg_jkn, ticket)["poli"] is None
    queue.start_ticket(session, ticket, now=NOW)
    queue.finish_ticket(session, ticket, now=NOW)
    at_poli = max(ticket.visit.tickets, key=lambda t: t.id)
    announced = _call(session, rs.poli, at_poli)
    assert announced["poli"] == rs.poli.name
    assert announced["number"] == f"{rs.poli.prefix}-001"


def test_a_poli_step_without_doctors_is_a_room_too(session, rs):
    ticket = queue.issue_ticket(session, rs.poli.id, source="booking", payer="umum", now=NOW)
    ticket.doctor_session_id = None  # a poli whose doctors are not scheduled in Antre
    assert _call(session, rs.poli, ticket)["poli"] == rs.poli.name


def test_a_doctors_room_off_any_pathway_names_its_service(session, factory, rs):
    service = factory.service()
    factory.counter([service], doctor_id=rs.doctor.id)
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    assert _call(session, service, ticket)["poli"] == service.name


def test_an_mpp_call_names_no_poli(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    assert _call(session, service, ticket)["poli"] is None
