"""The clerk's choices when a step ends: the default, per prescription, and the pathway's steps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter
from shared.queue.next_steps import next_step_choices, next_ticket_json
from tests.factories import Factory
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB


def _serve(session, ticket, **finish):
    counter = session.query(Counter).filter(Counter.services.contains(ticket.service)).first()
    called = queue.call_next(session, counter, now=NOW)
    queue.start_ticket(session, called, now=NOW)
    if finish.pop("stop", False):
        return called
    queue.finish_ticket(session, called, now=NOW, **finish)
    return called


def _walk(session, factory):
    rs = build_hospital(factory)
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", now=NOW)
    choices = next_step_choices(session, _serve(session, ticket, stop=True))
    assert choices["default"]["service"]["id"] == rs.poli.id
    assert [s["name"] for s in choices["steps"]] == ["Pendaftaran", "Poli", "Farmasi"]  # JKN
    (doctor,) = choices["steps"][1]["services"][0]["doctors"]
    assert doctor["places_left"] == 24 and doctor["held"] is False

    queue.finish_ticket(session, ticket, now=NOW, doctor_session_id=doctor["id"])
    moved = next_ticket_json(session, ticket)
    assert moved["service"]["id"] == rs.poli.id and moved["number"] == f"{rs.poli.prefix}-001"

    at_poli = _serve(session, ticket.visit.tickets[-1], stop=True)
    choices = next_step_choices(session, at_poli)
    assert choices["asks_prescription"] and choices["prescription"] is None
    assert choices["defaults"]["none"] is None  # JKN, no prescription: the visit ends at the poli
    assert choices["defaults"]["racikan"]["service"]["id"] == rs.racikan.id
    assert choices["defaults"]["non_racikan"]["service"]["id"] == rs.non_racikan.id
    assert at_poli.visit.prescription is None  # asking changed nothing
    held = choices["steps"][1]["services"][0]["doctors"][0]
    assert held["held"] is True and held["places_left"] == 23
    return rs


def test_choices_along_a_jkn_visit(session, factory):
    _walk(session, factory)


@pytest.mark.postgres
def test_choices_along_a_jkn_visit_on_postgresql(pg_url):
    engine = make_engine(pg_url)
    with make_session_factory(engine)() as session:
        _walk(session, Factory(session))
        session.commit()
    engine.dispose()


def test_a_ticket_on_no_pathway_has_no_choices(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = _serve(session, queue.issue_ticket(session, service.id, now=NOW), stop=True)
    choices = next_step_choices(session, ticket)
    assert choices["on_pathway"] is False and choices["steps"] == [] and choices["default"] is None
    queue.finish_ticket(session, ticket, now=NOW)
    assert next_ticket_json(session, ticket) is None
