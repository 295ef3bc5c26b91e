"""``POST /t/<code>/notify``: a phone or a push subscription for the visit, never shown back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import AlertSubscription, Service
from shared.web.database import database
from tests.sites import in_demo_mall


@pytest.fixture
def config(config):
    config.notify_gateway_url = "http://127.0.0.1:9/gateway"  # WhatsApp and SMS work here
    return config


@pytest.fixture(autouse=True)
def push_works(monkeypatch):
    from shared.alerts.sending import SENDERS

    monkeypatch.setitem(SENDERS, "push", lambda message, text, config: 201)


@pytest.fixture
def ticket(app):
    with database(app).session_factory() as session:
        service = session.execute(
            select(Service).where(in_demo_mall(Service.site_id)).limit(1)
        ).scalar_one()
        ticket = queue.issue_ticket(session, service.id)
        session.commit()
        return ticket


def _subscriptions(app):
    with database(app).session_factory() as session:
        return list(session.execute(select(AlertSubscription)).scalars())


def test_a_phone_is_kept_in_e164_and_answered_masked(client, app, ticket):
    answer = client.post(
        f"/t/{ticket.code}/notify", json={"channel": "whatsapp", "phone": "0812-3456-7890"}
    )
    assert answer.status_code == 201
    assert answer.get_json() == {"channel": "whatsapp", "to": "+62 ••• •••• 7890"}
    [row] = _subscriptions(app)
    assert row.phone == "+6281234567890" and row.visit_id == ticket.visit_id
    again = client.post(
        f"/t/{ticket.code}/notify", json={"channel": "whatsapp", "phone": "+62 813 1111 2222"}
    )
    assert again.status_code == 201
    assert [r.phone for r in _subscriptions(app)] == ["+6281311112222"]


def test_a_bad_number_gets_a_clear_message_in_indonesian(client, ticket):
    answer = client.post(f"/t/{ticket.code}/notify", json={"channel": "sms", "phone": "12345"})
    assert answer.status_code == 422
    assert "0812 3456 7890" in answer.get_json()["message"]
    assert "Masukkan" in answer.get_json()["message"]


def test_push_needs_a_usable_subscription(client, app, ticket):
    bad = client.post(
        f"/t/{ticket.code}/notify",
        json={
            "channel": "push",
            "subscription": {"endpoint": "http://x", "keys": {"p256dh": "a", "auth": "b"}},
        },
    )
    assert bad.status_code == 422
    good = client.post(
        f"/t/{ticket.code}/notify",
        json={
            "channel": "push",
            "subscription": {
                "endpoint": "https://push.example/abc",
                "keys": {"p256dh": "k", "auth": "a"},
            },
        },
    )
    assert good.status_code == 201 and good.get_json()["to"] == ""
    [row] = _subscriptions(app)
    assert row.push_endpoint == "https://push.example/abc" and row.phone is None


def test_stop_forgets_the_number_at_once(client, app, ticket):
    client.post(f"/t/{ticket.code}/notify", json={"channel": "sms", "phone": "081234567890"})
    answer = client.post(f"/t/{ticket.code}/notify/stop", json={"channel": "sms"})
    assert answer.status_code == 200 and _subscriptions(app) == []


def test_an_unknown_code_is_a_404(client):
    answer = client.post(
        "/t/unknown-code-1/notify", json={"channel": "sms", "phone": "081234567890"}
    )
    assert answer.status_code == 404
