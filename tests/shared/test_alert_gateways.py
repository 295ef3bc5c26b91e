"""WhatsApp and SMS alerts through HTTP gateways, against a real local receiver."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from shared import queue
from shared.alerts import subscribe_alerts
from shared.alerts.gateways import PRESETS, masked_headers, merge_headers
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.models import NotifyGateway, OutboxMessage
from shared.outbox.relay import Relay
from tests.fake_receiver import fake_receiver

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
PHONE = "+6281234567890"


def _relay(db_url: str, **config) -> Relay:
    settings = Config(database_url=db_url, public_url="http://antre.test", **config)
    return Relay(make_session_factory(make_engine(db_url)), settings, workers=2)


def _call_alert(session, factory, channel="whatsapp"):
    """A subscribed ticket called: one "call" alert in the outbox."""
    service = factory.service()
    counter = factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    subscribe_alerts(session, ticket, channel, phone="0812-3456-7890", now=NOW)
    queue.call_next(session, counter, now=NOW)
    session.commit()
    message = session.execute(select(OutboxMessage)).scalar_one()
    session.commit()  # end the read before a relay runs (SQLite's BEGIN IMMEDIATE)
    return ticket, counter, message


def _gateway(session, site_id, preset, url, headers, channels="whatsapp"):
    chosen = PRESETS[preset]
    session.add(
        NotifyGateway(
            site_id=site_id,
            name=chosen.label,
            channels=channels,
            preset=preset,
            url=url,
            headers=headers,
            body_format=chosen.body_format,
            body_template=chosen.body_template,
            active=True,
        )
    )
    session.commit()


def test_the_env_default_gets_exactly_id_to_channel_text_ticket(session, factory, db_url):
    ticket, counter, message = _call_alert(session, factory, "sms")
    with fake_receiver() as gateway:
        relay = _relay(db_url, notify_gateway_url=gateway.url + "/gateway")
        assert relay.run_once(NOW) == 1
        [request] = gateway.wait_for(1)
    assert request.path == "/gateway"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "id": message.uid,
        "to": PHONE,
        "channel": "sms",
        "text": f"Giliran Anda! Nomor {ticket.display_number}, silakan ke {counter.name}. "
        f"http://antre.test/t/{ticket.code}",
        "ticket": ticket.display_number,
    }


def test_whatsapp_cloud_preset_sends_meta_s_documented_request(session, factory, db_url):
    ticket, _, _ = _call_alert(session, factory)
    with fake_receiver() as meta:
        _gateway(
            session,
            ticket.service.site_id,
            "whatsapp_cloud",
            meta.url + "/v21.0/1234567890/messages",
            {"Authorization": "Bearer EAAGsecret"},
        )
        assert _relay(db_url).run_once(NOW) == 1
        [request] = meta.wait_for(1)
    assert request.path == "/v21.0/1234567890/messages"
    assert request.headers["Authorization"] == "Bearer EAAGsecret"
    body = request.json()
    assert body["messaging_product"] == "whatsapp" and body["type"] == "text"
    assert body["to"] == "6281234567890"  # Meta's "to" has no "+"
    assert body["text"]["body"].startswith("Giliran Anda!")
    assert body["text"]["body"].endswith(f"http://antre.test/t/{ticket.code}")


def test_fonnte_preset_posts_a_form_with_target_and_message(session, factory, db_url):
    ticket, _, _ = _call_alert(session, factory)
    with fake_receiver() as fonnte:
        _gateway(
            session, ticket.service.site_id, "fonnte", fonnte.url + "/send", {"Authorization": "tk"}
        )
        _relay(db_url).run_once(NOW)
        [request] = fonnte.wait_for(1)
    assert request.headers["Authorization"] == "tk"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.body.decode())
    assert form["target"] == ["6281234567890"]
    assert form["message"][0].startswith("Giliran Anda! Nomor ")


def test_a_500_then_a_200_carries_the_same_id_twice(session, factory, db_url):
    _, _, message = _call_alert(session, factory)
    with fake_receiver(statuses=[500]) as gateway:
        relay = _relay(db_url, notify_gateway_url=gateway.url)
        relay.run_once(NOW)
        relay.run_once(NOW + timedelta(hours=1))
        first, second = gateway.wait_for(2)
    assert first.json()["id"] == second.json()["id"] == message.uid
    session.expire_all()
    assert session.get(OutboxMessage, message.id).delivered_at is not None


def test_no_gateway_fails_quietly_and_stays_visible(session, factory, db_url, caplog):
    _, _, message = _call_alert(session, factory)
    with caplog.at_level(logging.INFO):
        _relay(db_url).run_once(NOW)
    session.expire_all()
    failed = session.get(OutboxMessage, message.id)
    assert failed.failed_at is not None and failed.last_error == "no gateway for whatsapp"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "no gateway for whatsapp" in caplog.text and "7890" not in caplog.text


def test_a_gateway_echoing_the_number_never_puts_it_in_an_error(session, factory, db_url, caplog):
    _, _, message = _call_alert(session, factory)
    with fake_receiver(statuses=[400], reply={"reason": "bad target 6281234567890"}) as gateway:
        _relay(db_url, notify_gateway_url=gateway.url).run_once(NOW)
        gateway.wait_for(1)
    session.expire_all()
    failed = session.get(OutboxMessage, message.id)
    assert failed.failed_at is not None and "HTTP 400" in failed.last_error
    assert "81234567890" not in failed.last_error and "81234567890" not in caplog.text


def test_an_inactive_gateway_or_one_for_another_channel_is_not_used(session, factory, db_url):
    ticket, _, message = _call_alert(session, factory, "sms")
    with fake_receiver() as unused:
        _gateway(session, ticket.service.site_id, "fonnte", unused.url, {}, channels="whatsapp")
        _relay(db_url).run_once(NOW)
    assert unused.requests == []
    session.expire_all()
    assert session.get(OutboxMessage, message.id).last_error == "no gateway for sms"


@pytest.mark.parametrize("text", ['Kata "kutip" \\ {x}\nbaris', "a&b=c+d%"])
def test_values_are_escaped_for_json_and_form(text):
    from shared.alerts.gateways import Route, render_body

    values = {"text": text, "to": PHONE}
    body, _ = render_body(Route("", {}, "json", '{"t": "{text}", "to": "{to}"}'), values)
    assert json.loads(body) == {"t": text, "to": PHONE}
    body, _ = render_body(Route("", {}, "form", "m={text}&to={to}"), values)
    assert parse_qs(body.decode()) == {"m": [text], "to": [PHONE]}


def test_secrets_are_shown_masked_and_kept_when_sent_back_masked():
    stored = {"Authorization": "Bearer EAAGverysecrettoken"}
    shown = masked_headers(stored)
    assert "verysecret" not in shown["Authorization"]
    assert merge_headers(shown, stored) == stored
    assert merge_headers({"Authorization": "Bearer new"}, stored) == {"Authorization": "Bearer new"}
