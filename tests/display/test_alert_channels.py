"""What works at a site: the ticket JSON says, and asking for another channel is a 409."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import NotifyGateway, OutboxMessage, Service
from shared.web.database import database
from tests.sites import DEMO_SLUG, in_demo_mall


@pytest.fixture
def ticket(app):
    with database(app).session_factory() as session:
        service = session.execute(
            select(Service).where(in_demo_mall(Service.site_id)).limit(1)
        ).scalar_one()
        ticket = queue.issue_ticket(session, service.id)
        session.commit()
        return ticket


def _add_gateway(app, site_id, channels):
    with database(app).session_factory() as session:
        session.add(
            NotifyGateway(
                site_id=site_id,
                name="SMS lokal",
                channels=channels,
                preset="custom",
                url="http://127.0.0.1:9/sms",
                headers={},
                body_format="json",
                body_template='{"to": "{to}", "text": "{text}"}',
                active=True,
            )
        )
        session.commit()


def test_no_gateway_offers_push_only_and_a_clear_409(client, ticket):
    alerts = client.get(f"/t/{ticket.code}.json").get_json()["alerts"]
    push_only = {"whatsapp": False, "sms": False, "push": True}  # Web Push needs no gateway
    assert alerts == {"channels": push_only, "subscribed": []}
    answer = client.post(
        f"/t/{ticket.code}/notify",
        json={"channel": "whatsapp", "phone": "081234567890"},
        headers={"Accept-Language": "id"},
    )
    assert answer.status_code == 409
    assert answer.get_json()["message"] == (
        "Pemberitahuan WhatsApp belum dapat dipakai di lokasi ini. Yang dapat dipakai: push."
    )


def test_a_site_s_sms_gateway_offers_sms_and_push_and_says_so(client, app, ticket):
    _add_gateway(app, ticket.service.site_id, "sms")
    whatsapp = client.post(
        f"/t/{ticket.code}/notify",
        json={"channel": "whatsapp", "phone": "081234567890"},
        headers={"Accept-Language": "id"},
    )
    assert whatsapp.status_code == 409
    assert whatsapp.get_json()["message"] == (
        "Pemberitahuan WhatsApp belum dapat dipakai di lokasi ini. Yang dapat dipakai: SMS, push."
    )
    sms = client.post(f"/t/{ticket.code}/notify", json={"channel": "sms", "phone": "081234567890"})
    assert sms.status_code == 201
    described = client.get(f"/t/{ticket.code}.json").get_json()
    assert described["alerts"] == {
        "channels": {"whatsapp": False, "sms": True, "push": True},
        "subscribed": ["sms"],
    }
    assert "7890" not in client.get(f"/t/{ticket.code}.json").get_data(as_text=True)


@pytest.fixture
def bookable(client):
    services = client.get(f"/kiosk/api/booking/services?site={DEMO_SLUG}").get_json()["services"]
    service = next(s for s in services if s["code"] == "KTP")
    return service["id"], service["dates"][2]


def _book(client, bookable, **extra):
    service_id, day = bookable
    body = {"service_id": service_id, "date": day, "start": "09:00", "phone": "0812-3456-7890"}
    return client.post("/kiosk/api/bookings", json=body | extra, headers={"Accept-Language": "id"})


def test_a_booking_with_whatsapp_alerts_needs_consent_and_a_gateway(client, app, config, bookable):
    assert _book(client, bookable, notify="whatsapp").status_code == 422  # no consent
    assert _book(client, bookable, notify="whatsapp", consent=True).status_code == 409
    config.notify_gateway_url = "http://127.0.0.1:9/gateway"
    bad = _book(client, bookable, notify="whatsapp", consent=True, phone="12345")
    assert bad.status_code == 422
    made = _book(client, bookable, notify="whatsapp", consent=True)
    assert made.status_code == 201
    code = made.get_json()["booking"]["code"]
    with database(app).session_factory() as session:
        events = [
            m.payload["event"]
            for m in session.execute(select(OutboxMessage).where(OutboxMessage.kind == "alert"))
            .scalars()
            .all()
        ]
    assert events == ["booking_confirmed", "booking_reminder"]
    cancelled = client.post(f"/kiosk/api/bookings/{code}/cancel")
    assert cancelled.status_code == 200
    with database(app).session_factory() as session:
        reminder = (
            session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "alert")
                .order_by(OutboxMessage.id.desc())
            )
            .scalars()
            .first()
        )
        assert reminder.last_error == "booking cancelled"


def test_the_booking_page_offers_only_the_channels_that_work(client, app, config, ticket):
    page = client.get(f"/kiosk/booking/?site={DEMO_SLUG}&lang=id").get_data(as_text=True)
    assert 'name="notify"' not in page
    _add_gateway(app, ticket.service.site_id, "sms")
    page = client.get(f"/kiosk/booking/?site={DEMO_SLUG}&lang=id").get_data(as_text=True)
    assert "Ingatkan saya lewat ponsel" in page
    assert 'value="sms"' in page and 'value="whatsapp"' not in page


def test_the_opt_in_answers_json_even_to_a_body_that_is_not(client, ticket):
    for path in (f"/t/{ticket.code}/notify", f"/t/{ticket.code}/notify/stop", "/t/0/notify/stop"):
        answer = client.post(path, data="x", content_type="text/plain")
        assert answer.status_code in (404, 415, 422) and answer.is_json, path
