"""Alerts are written with the change: near the turn once, at the call, at a new number."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from shared import queue
from shared.alerts import subscribe_alerts
from shared.models import AlertText, OutboxMessage
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _alerts(session):
    rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    return [(m.payload["event"], m.payload["text"]) for m in rows if m.kind == "alert"]


def test_near_once_then_the_call(session, factory):
    service = factory.service(alert_lead=2)
    counter = factory.counter([service])
    tickets = [queue.issue_ticket(session, service.id, now=NOW) for _ in range(4)]
    last = tickets[-1]
    subscribe_alerts(session, last, "whatsapp", phone="081234567890", now=NOW)
    session.commit()
    assert _alerts(session) == []  # 3 ahead: not yet
    for _ in range(3):
        called = queue.call_next(session, counter, now=NOW)
        queue.start_ticket(session, called, now=NOW)
        queue.finish_ticket(session, called, now=NOW)
        session.commit()
    near = [a for a in _alerts(session) if a[0] == "near"]
    assert near == [
        (
            "near",
            f"Antrean {last.display_number} di MPP Uji: 2 lagi sebelum giliran Anda. "
            "Mohon bersiap. {link}",
        )
    ]
    queue.call_next(session, counter, now=NOW)
    session.commit()
    assert _alerts(session)[-1] == (
        "call",
        f"Giliran Anda! Nomor {last.display_number}, silakan ke {counter.name}. {{link}}",
    )
    message = session.execute(select(OutboxMessage)).scalars().first()
    assert message.payload["to"] == "+6281234567890" and message.key.startswith("alert:")


def test_a_rolled_back_call_alerts_no_one(session, factory):
    service = factory.service()
    counter = factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    subscribe_alerts(session, ticket, "sms", phone="081234567890", language="en", now=NOW)
    session.commit()
    before = _alerts(session)
    queue.call_next(session, counter, now=NOW)
    session.rollback()
    assert _alerts(session) == before


def test_a_site_s_own_words_and_a_new_number_after_a_step(session, factory):
    rs = build_hospital(factory)
    session.add(
        AlertText(
            site_id=rs.site.id, key="step", language="id", text="Lanjut ke {service}: {number}"
        )
    )
    ticket = queue.issue_ticket(session, rs.reg_umum.id, now=NOW)
    subscribe_alerts(session, ticket, "whatsapp", phone="081234567890", now=NOW)
    session.commit()
    counter = rs.reg_umum.counters[0]
    called = queue.call_next(session, counter, now=NOW)
    queue.start_ticket(session, called, now=NOW)
    queue.finish_ticket(session, called, now=NOW)
    session.commit()
    poli_ticket = max(ticket.visit.tickets, key=lambda t: t.id)
    assert ("step", f"Lanjut ke {rs.poli.name}: {poli_ticket.display_number}") in _alerts(session)
