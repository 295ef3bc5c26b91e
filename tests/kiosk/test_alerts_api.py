"""``POST /kiosk/api/tickets/<code>/notify``: a WhatsApp number typed at the kiosk after the
ticket, for that ticket's alerts; only the kiosk's own site's tickets, the number never shown
back in full. (Who may call it: tests/security/test_authz_matrix_http.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.models import AlertSubscription
from tests.kiosk.test_api import service_by_code, take
from tests.sites import add_site


def _subscriptions(session) -> list[AlertSubscription]:
    rows = list(session.execute(select(AlertSubscription)).scalars())
    session.commit()
    return rows


def notify(client, code, body, **headers):
    return client.post(f"/kiosk/api/tickets/{code}/notify", json=body, headers=headers)


@pytest.fixture
def taken(client, csrf, app_session):
    answer = take(client, csrf, service_by_code(app_session, "KTP").id, "kunci-notify-01")
    assert answer.status_code == 201
    return answer.get_json()["ticket"]


def test_a_whatsapp_number_for_the_kiosks_ticket(client, csrf, app_session, taken):
    answer = notify(
        client,
        taken["code"],
        {"phone": "0812-3456-7890", "language": "en"},
        **{"X-CSRFToken": csrf},
    )
    assert answer.status_code == 201
    assert answer.get_json() == {"channel": "whatsapp", "to": "+62 ••• •••• 7890"}
    [row] = _subscriptions(app_session)
    assert (row.channel, row.phone, row.language) == ("whatsapp", "+6281234567890", "en")
    sms = notify(
        client,
        taken["code"],
        {"channel": "sms", "phone": "0813 1111 2222"},
        **{"X-CSRFToken": csrf},
    )
    assert sms.status_code == 201 and sms.get_json()["channel"] == "sms"
    assert {r.channel for r in _subscriptions(app_session)} == {"whatsapp", "sms"}


def test_a_bad_number_is_refused_in_indonesian(client, csrf, app_session, taken):
    answer = notify(client, taken["code"], {"phone": "12345"}, **{"X-CSRFToken": csrf})
    assert answer.status_code == 422
    assert "Masukkan" in answer.get_json()["message"]
    push = notify(
        client, taken["code"], {"channel": "push", "phone": "081234567890"}, **{"X-CSRFToken": csrf}
    )
    assert push.status_code == 422  # push belongs to the phone's own browser
    assert push.get_json()["field"] == "channel"
    assert _subscriptions(app_session) == []


def test_the_cookie_kiosk_needs_its_csrf_token(client, app_session, taken):
    answer = notify(client, taken["code"], {"phone": "081234567890"})
    assert answer.status_code in (400, 403)
    assert _subscriptions(app_session) == []


def test_only_tickets_of_the_kiosks_own_site(client, app_session, register_kiosk):
    site_b = add_site(app_session)
    body = {"service_id": site_b.service, "idempotency_key": "situs-lain-09"}
    theirs = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": site_b.token})
    assert theirs.status_code == 201
    code = theirs.get_json()["ticket"]["code"]
    token_a, _ = register_kiosk()
    refused = notify(client, code, {"phone": "081234567890"}, **{"X-Kiosk-Token": token_a})
    assert refused.status_code == 404
    unknown = notify(client, "ZZZZZZZZ", {"phone": "081234567890"}, **{"X-Kiosk-Token": token_a})
    assert unknown.status_code == 404
    assert _subscriptions(app_session) == []
    mine = notify(client, code, {"phone": "081234567890"}, **{"X-Kiosk-Token": site_b.token})
    assert mine.status_code == 201
