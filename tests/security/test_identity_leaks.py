"""A patient's NIK and BPJS card number, once recorded, leak nowhere as the visit moves on.

The registration clerk records them, then the visit goes registration → poli → pharmacy through
the counter API. Searched: every event published (Socket.IO payloads), every public answer of
the ticket (/t/<code>.json and its page), every log record at DEBUG (message and arguments),
and every audit entry's details. The clerk's own API answer is the only place they may appear.
"""

from __future__ import annotations

import json
import logging

import pytest

from shared import events
from shared.models import AuditLog, Counter, StaffUser, Ticket
from tests.factories import Factory
from tests.hospital import build_hospital

CARD, NIK, MR = "0001234567890", "1505015708900001", "RM-77123"
SECRETS = (CARD, NIK, "0001 2345 67890")


@pytest.fixture
def published(monkeypatch):
    """Every event the app publishes, captured on its way to Socket.IO."""
    seen: list[events.Event] = []
    original = events.SocketIOPublisher.publish

    def capture(self, batch):
        seen.extend(batch)
        return original(self, batch)

    monkeypatch.setattr(events.SocketIOPublisher, "publish", capture)
    return seen


@pytest.fixture
def rs(db):
    make = Factory(db)
    hospital = build_hospital(make)
    make.user(StaffUser.CLERK, hospital.reg_jkn.agency, username="reg.leak")
    make.user(StaffUser.CLERK, hospital.poli.agency, username="poli.leak")
    make.user(StaffUser.CLERK, hospital.non_racikan.agency, username="apotek.leak")
    db.commit()
    return hospital


def _serve(client, db, service, *, then=None) -> dict:
    """Call the next ticket at ``service``'s counter, run ``then``, start and finish it."""
    counter = db.query(Counter).filter(Counter.services.contains(service)).first()
    answer = client.post(f"/counter/api/counters/{counter.id}/call-next", json={})
    ticket = answer.get_json()["ticket"]
    assert ticket is not None, answer.get_json()
    if then is not None:
        then(ticket)
    for action in ("start", "finish"):
        done = client.post(f"/counter/api/tickets/{ticket['id']}/{action}", json={})
        assert done.status_code == 200, done.get_json()
    return ticket


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_the_identity_appears_in_no_event_public_page_log_or_audit(
    staff, anonymous, db, rs, published, caplog
):
    from shared import queue

    caplog.set_level(logging.DEBUG)
    # As with echo=True: every statement and its parameters (hidden: make_engine). Its DEBUG
    # level would also print result rows, a developer's tool for a database of test data.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    queue.issue_ticket(db, rs.poli.id, payer="jkn", check_availability=False)
    db.commit()
    registration, poli, pharmacy = staff("reg.leak"), staff("poli.leak"), staff("apotek.leak")

    def record(ticket):
        body = {"card_number": "0001 2345 67890", "nik": NIK, "medical_record": MR}
        saved = registration.put(f"/counter/api/tickets/{ticket['id']}/patient", json=body)
        assert saved.status_code == 200 and saved.get_json()["nik"] == NIK  # the clerk's own
        registration.get(f"/counter/api/counters/{ticket['counter']['id']}")  # the console

    def look(client):
        def seen(ticket):
            answer = client.get(f"/counter/api/tickets/{ticket['id']}/patient").get_json()
            assert answer["nik"] == NIK  # serving it: their own screen

        return seen

    _serve(registration, db, rs.reg_jkn, then=record)
    _serve(poli, db, rs.poli, then=look(poli))
    _serve(pharmacy, db, rs.non_racikan, then=look(pharmacy))

    db.expire_all()
    tickets = db.query(Ticket).order_by(Ticket.id).all()
    assert [t.status for t in tickets] == ["done", "done", "done"]

    assert len(published) > 10
    for event in published:
        payload = json.dumps(event.message(), default=str)
        assert not _leaks(payload), f"{event.name} to {event.room}"

    citizen = anonymous()
    for ticket in tickets:
        for path in (f"/t/{ticket.code}.json", f"/t/{ticket.code}"):
            answer = citizen.get(path)
            assert answer.status_code == 200, path
            assert not _leaks(answer.get_data(as_text=True)), path

    assert any("INSERT INTO patient_identity" in r.getMessage() for r in caplog.records)
    for entry in caplog.records:
        text = entry.getMessage() + repr(entry.args) + str(entry.__dict__.get("exc_text") or "")
        assert not _leaks(text), f"{entry.name}: {entry.getMessage()[:200]}"

    audits = db.query(AuditLog).all()
    assert any(a.action == "patient.identity" for a in audits)
    for entry in audits:
        assert not _leaks(json.dumps(entry.details, default=str)), entry.action
