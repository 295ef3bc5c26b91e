"""Every error a person can meet, asked for in Indonesian, answers in Indonesian.

Each POST of the authorization matrix as a persona allowed to (empty forms and bodies: mostly
refusals of bad input), then the typical mistakes of each API: wrong types, unknown things,
actions in the wrong state, malformed JSON, no CSRF token. JSON messages and error pages alike.
"""

from __future__ import annotations

import pytest

from shared.web.i18n import COOKIE
from tests.i18n.catalogue import english_in, visible_text
from tests.i18n.test_pages_in_indonesian import PERSONA, _json_strings
from tests.security.conftest import fill
from tests.security.test_authz_matrix_http import CASES

_T = "/counter/api/tickets/{ticket}"
_K = "/kiosk/api"
# (persona, method, path, JSON body or None for a form, form or raw body)
MISTAKES = [
    ("kiosk", "POST", _K + "/tickets", {}, None),
    ("kiosk", "POST", _K + "/tickets", [1, 2], None),
    ("kiosk", "POST", _K + "/tickets", {"service_id": "x", "idempotency_key": "abcdefgh1"}, None),
    ("kiosk", "POST", _K + "/tickets", {"service_id": 1, "idempotency_key": "no"}, None),
    ("kiosk", "POST", _K + "/tickets", {"service_id": 9999, "idempotency_key": "abcdefgh2"}, None),
    (
        "kiosk",
        "POST",
        _K + "/tickets",
        {"service_id": "{service}", "priority": "vip", "idempotency_key": "abcdefgh3"},
        None,
    ),
    ("kiosk", "POST", _K + "/tickets", None, "{not json"),
    ("kiosk", "POST", _K + "/bookings/NOPE2345/check-in", {}, None),
    ("anonymous", "GET", _K + "/booking/slots?service_id=x", None, None),
    ("anonymous", "GET", _K + "/booking/slots?service_id=9999&date=2030-01-01", None, None),
    ("anonymous", "GET", _K + "/booking/slots?service_id={service}&date=tomorrow", None, None),
    ("anonymous", "POST", _K + "/bookings", {"service_id": "{service}", "start": "25:99"}, None),
    ("anonymous", "POST", _K + "/bookings", "just text", None),
    ("anonymous", "GET", _K + "/bookings/NOPE2345", None, None),
    ("anonymous", "POST", _K + "/bookings/NOPE2345/cancel", {}, None),
    ("anonymous", "GET", "/t/nope.json", None, None),
    ("anonymous", "GET", "/t/nope", None, None),
    ("anonymous", "GET", "/t/{code}/survey?x=1", None, None),
    ("anonymous", "POST", "/counter/login", None, {"username": "admin", "password": "wrong"}),
    ("anonymous", "GET", "/counter/api/services", None, None),
    ("anonymous", "GET", "/display/api/state?zone=x", None, None),
    ("anonymous", "GET", "/display/api/announcement.wav?number=", None, None),
    ("anonymous", "GET", "/no/such/page", None, None),
    ("anonymous", "GET", "/counter/api/no-such-thing", None, None),
    ("anonymous", "DELETE", "/kiosk/api/tickets", None, None),
    ("clerk_a", "POST", _T + "/finish", {}, None),  # still waiting
    ("clerk_a", "POST", _T + "/recall", {}, None),
    ("clerk_a", "POST", _T + "/no-show", {}, None),
    ("clerk_a", "POST", _T + "/transfer", {"service_id": "x"}, None),
    ("clerk_a", "POST", _T + "/transfer", {"service_id": 9999}, None),
    ("clerk_a", "POST", _T + "/cancel", {"note": ["a"]}, None),
    ("clerk_a", "POST", "/counter/api/counters/{counter}/status", {"status": "nope"}, None),
    ("clerk_a", "POST", "/counter/api/counters/{counter}/status", {"status": "paused"}, None),
    ("clerk_a", "POST", "/counter/api/counters/99999/call-next", {}, None),
    ("clerk_a", "POST", "/counter/api/counters/{counter}/call-next", "x", None),
    ("clerk_a", "POST", "/counter/api/bookings/NOPE2345/check-in", {}, None),
    ("clerk_a", "GET", "/counter/api/tickets/{ticket}/finish", None, None),
    ("spv_b", "GET", "/counter/api/dashboard?agency_id=x", None, None),
    ("spv_b", "GET", "/counter/reports/?scope=nope", None, None),
    ("spv_b", "GET", "/counter/reports/?scope=agency&id=999999", None, None),
    ("spv_b", "GET", "/counter/reports/export.csv?from=yesterday", None, None),
    ("admin", "GET", "/counter/audit?from=nope", None, None),
    ("admin", "GET", "/counter/admin/staff/999999", None, None),
    ("admin", "POST", "/counter/admin/holidays/new", None, {"day": "x", "name": ""}),
]


@pytest.fixture
def config(config):
    config.rate_limits = False
    return config


def _english_of(answer) -> list[str]:
    if 300 <= answer.status_code < 400:
        return []  # Werkzeug's "You should be redirected" body: browsers follow, nobody reads it
    if answer.is_json:
        return english_in(_json_strings(answer.get_json()))
    if answer.mimetype == "text/html":
        return english_in(visible_text(answer.get_data(as_text=True)))
    return []


def _send(client, method, path, body, form):
    if isinstance(form, str):
        return client.open(path, method=method, data=form, content_type="application/json")
    if body is not None:
        return client.open(path, method=method, json=body)
    return client.open(path, method=method, data=form)


def test_every_refusal_of_the_matrix_is_in_indonesian(personas, targets):
    english = []
    for case in CASES:
        if case.method == "GET":
            continue
        client = personas(PERSONA.get(case.access, "admin"))
        client.set_cookie(COOKIE, "id")
        ids = targets.ids("A")
        answer = client.open(
            fill(case.target, ids),
            method=case.method,
            json=fill(case.json, ids),
            data=fill(case.form, ids),
        )
        english += [f"{case} ({answer.status_code}): {e}" for e in _english_of(answer)]
    assert not english, "English in answers in Indonesian:\n" + "\n".join(english)


def test_typical_mistakes_are_answered_in_indonesian(personas, targets, app):
    english, statuses = [], []
    for persona, method, path, body, form in MISTAKES:
        client = personas(persona)
        client.set_cookie(COOKIE, "id")
        ids = targets.ids("A")
        answer = _send(client, method, fill(path, ids), fill(body, ids), form)
        statuses.append(answer.status_code)
        assert answer.status_code < 500, f"{method} {path}: {answer.status_code}"
        english += [f"{method} {path} ({answer.status_code}): {e}" for e in _english_of(answer)]
    assert not english, "English in answers in Indonesian:\n" + "\n".join(english)
    assert sum(400 <= s < 500 for s in statuses) >= len(MISTAKES) * 3 // 4, statuses


def test_a_missing_csrf_token_is_explained_in_indonesian(anonymous):
    client = anonymous()
    client.set_cookie(COOKIE, "id")
    answer = client.post("/counter/login", data={"username": "admin", "password": "x"})
    assert answer.status_code == 400
    assert _english_of(answer) == []
    assert "formulir" in answer.get_data(as_text=True).lower()
