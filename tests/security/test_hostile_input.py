"""Hostile bodies on every JSON endpoint: one answer shape, a named field, never a 500.

Every POST route of the API (found in the app's url_map) is listed below as reading a body
(with a valid one to spoil) or as ignoring it; a new route fails test_every_json_post_is_listed
until it is. Bodies: 60 KB of nesting, a lone surrogate in every string field, wrong types,
missing fields, NUL, bidi overrides, zero-width-only text.
"""

from __future__ import annotations

import json

import pytest

from tests.security.conftest import fill

# Per path: who calls it, a valid body (each field is spoiled in turn), its required fields.
BODIES = {
    "/kiosk/api/tickets": (
        "kiosk",
        {
            "service_id": "{service}",
            "priority": "none",
            "idempotency_key": "hostile-0001",
            "payer": "umum",
        },
        ("service_id", "idempotency_key"),
    ),
    "/kiosk/api/bookings": (
        "anonymous",
        {
            "service_id": "{service}",
            "date": "2030-01-07",
            "start": "09:00",
            "name": "Budi",
            "phone": "081234567890",
        },
        ("service_id", "date", "start"),
    ),
    "/kiosk/api/tickets/{code}/notify": (
        "kiosk",
        {"channel": "whatsapp", "phone": "081234567890"},
        ("phone",),
    ),
    "/t/{code}/notify": ("anonymous", {"channel": "sms", "phone": "081234567890"}, ("channel",)),
    "/t/{code}/notify/stop": ("anonymous", {"channel": "sms"}, ("channel",)),
    "/counter/api/counters/{counter}/call-next": ("admin", {"request_id": "r-1"}, ()),
    "/counter/api/counters/{counter}/status": (
        "admin",
        {"status": "paused", "reason": "Salat"},
        (),
    ),
    "/counter/api/tickets/{ticket}/call": ("admin", {"counter_id": "{counter}"}, ("counter_id",)),
    "/counter/api/tickets/{ticket}/transfer": (
        "admin",
        {"service_id": "{service}", "note": "ke BPJS"},
        ("service_id",),
    ),
    "/counter/api/tickets/{ticket}/finish": (
        "admin",
        {"note": "selesai", "prescription": "none", "next_service_id": "{service}"},
        (),
    ),
    "/counter/api/tickets/{ticket}/cancel": ("admin", {"note": "ganda"}, ()),
    "/counter/api/tickets/{ticket}/recall": ("admin", {"recall_count": 0}, ()),
    "/counter/api/tickets/{ticket}/patient": (
        "admin",
        {"card_number": "0001234567890", "nik": "1505015708900001", "medical_record": "RM-1"},
        (),
    ),
}
# Bodies sent with another method than POST.
METHODS = {"/counter/api/tickets/{ticket}/patient": "PUT"}
# Routes whose body is not read at all (the path says everything): they must still never fail.
IGNORED = {
    "/kiosk/api/heartbeat": "kiosk",
    "/kiosk/api/bookings/{booking}/check-in": "kiosk",
    "/kiosk/api/bookings/{booking}/cancel": "anonymous",
    "/counter/api/bookings/{booking}/check-in": "admin",
    # A signed file, not JSON: cut, altered and unsigned bodies are refused by its own tests
    # (tests/shared/test_site_sync.py, tests/counter/test_site_sync_http.py).
    "/api/sites/mpp-tebo/sync": "anonymous",
}
# Free text a person types: cleaned and refused when hostile.
TEXT_FIELDS = ("name", "reason", "note")

NESTED = "[" * 30_000 + "]" * 30_000  # 60 KB, under the 64 KB body limit
DEEP_IN_A_FIELD = '{"note": ' + "[" * 5_000 + "]" * 5_000 + "}"
SURROGATE = "\ud800"


@pytest.fixture
def config(config):
    config.rate_limits = False
    return config


def _rule_path(rule: str) -> str:
    if rule.startswith("/t/") or rule.endswith("/<code>/notify"):  # a ticket's public code
        rule = rule.replace("<code>", "{code}")
    return (
        rule.replace("<int:counter_id>", "{counter}")
        .replace("<int:ticket_id>", "{ticket}")
        .replace("<code>", "{booking}")
        .replace("<slug>", "mpp-tebo")
    )


def test_every_json_post_is_listed(app):
    """Every POST (or PUT, PATCH) of the API."""
    posts = {
        _rule_path(rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH"}
        and ("/api/" in rule.rule or rule.rule.startswith("/t/<code>/notify"))
    }
    listed = {p for p in BODIES if "/tickets/{ticket}/" not in p or p in METHODS} | set(IGNORED)
    listed.add("/counter/api/tickets/{ticket}/<action>")
    assert posts == listed


def _post(client, path: str, body, method: str = "POST"):
    raw = body if isinstance(body, str) else json.dumps(body)  # "\ud800" stays an escape
    return client.open(path, method=method, data=raw, content_type="application/json")


def _placeholder(value) -> bool:
    return isinstance(value, str) and value.startswith("{")


def _spoiled(valid: dict, required: tuple[str, ...]):
    """(label, body: raw JSON text or an object, the field the answer must name)"""
    yield "nested 60 KB", NESTED, None
    yield "nested in a field", DEEP_IN_A_FIELD, None
    yield "not an object", [valid], None
    yield "not JSON", "{service_id: 1", None
    yield "surrogate in a key", {**valid, SURROGATE: 1}, None
    for name, value in valid.items():
        if isinstance(value, str) and not _placeholder(value):
            yield f"surrogate in {name}", {**valid, name: value + SURROGATE}, name
            wrong = [{"a": 1}, ["x"], 7]
        else:
            wrong = [[1], True, 1.5, "7"]
        for bad in wrong:
            yield f"{name} as {bad!r}", {**valid, name: bad}, name
        if name in TEXT_FIELDS:
            for label, text in (
                ("NUL", "Bu\x00di"),
                ("bidi override", "\u202eKCOL"),
                ("bidi isolate", "A\u2066B"),
                ("zero-width only", "\u200b\u200d\ufeff"),
            ):
                yield f"{label} in {name}", {**valid, name: text}, name
    for name in required:
        yield f"without {name}", {k: v for k, v in valid.items() if k != name}, name


CASES = [
    pytest.param(path, body, field, id=f"{path} {label}")
    for path, (_persona, valid, required) in BODIES.items()
    for label, body, field in _spoiled(valid, required)
]


@pytest.mark.parametrize(("path", "body", "field"), CASES)
def test_a_hostile_body_gets_the_one_error_shape(personas, targets, path, body, field):
    persona = BODIES[path][0]
    ids = targets.ids("A")
    body = body if isinstance(body, str) else fill(body, ids)  # raw text is sent as it is
    answer = _post(personas(persona), fill(path, ids), body, METHODS.get(path, "POST"))
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    shape = answer.get_json()
    assert set(shape) == {"error", "message", "field"}
    assert shape["error"] == "invalid_input" and shape["message"]
    assert shape["field"] == field
    if field:
        assert field in shape["message"]  # named, in Indonesian


@pytest.mark.parametrize("path", sorted(IGNORED))
@pytest.mark.parametrize(
    "body", [NESTED, {"x": SURROGATE}, "{oops"], ids=["nested", "surrogate", "not JSON"]
)
def test_a_route_that_ignores_its_body_never_fails_on_it(personas, targets, path, body):
    answer = _post(personas(IGNORED[path]), fill(path, targets.ids("A")), body)
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
    assert answer.is_json


@pytest.mark.parametrize(
    ("persona", "path", "field"),
    [
        ("anonymous", "/kiosk/api/booking/slots?service_id=x&date=2030-01-07", "service_id"),
        ("anonymous", "/kiosk/api/booking/slots?service_id=1&date=besok", "date"),
        ("anonymous", "/kiosk/api/booking/slots?date=2030-01-07", "service_id"),
        (
            "anonymous",
            "/kiosk/api/booking/slots?service_id=10000000000000&date=2030-01-07",
            "service_id",
        ),
        ("admin", "/counter/api/dashboard?agency_id=x", "agency_id"),
        ("admin", "/counter/api/dashboard?agency_id=99999999999999999999", "agency_id"),
    ],
)
def test_a_bad_query_string_gets_the_same_shape(personas, persona, path, field):
    answer = personas(persona).get(path)
    assert answer.status_code == 422
    shape = answer.get_json()
    assert (shape["error"], shape["field"]) == ("invalid_input", field)
    assert field in shape["message"]


# The Mobile JKN web service speaks BPJS's protocol, not ours: a hostile body is a refusal in
# BPJS's envelope (metadata.code 201), with a valid token so the body is really read.
MOBILE_JKN = [
    "statusantrean",
    "ambilantrean",
    "sisaantrean",
    "batalantrean",
    "checkin",
    "pasienbaru",
    "jadwaloperasirs",
    "jadwaloperasipasien",
    "ambilantreanfarmasi",
    "statusantreanfarmasi",
]
MOBILE_JKN_FKTP = [("POST", "antrean"), ("PUT", "antrean/batal"), ("POST", "peserta")]


def test_every_mobile_jkn_post_is_listed(app):
    bodies = {
        (method, rule.rule.removeprefix("/jkn/<slug>/"))
        for rule in app.url_map.iter_rules()
        for method in rule.methods & {"POST", "PUT"}
        if rule.rule.startswith("/jkn/")
    }
    listed = {("POST", name) for name in MOBILE_JKN} | set(MOBILE_JKN_FKTP)
    assert bodies == listed | {("POST", "token")}


def _jkn_headers(app, client, endpoint: str) -> dict:
    """A token for the demo RSUD (outside demo mode here: its own password, not the demo's)."""
    from shared.mobilejkn.credentials import set_credentials
    from shared.queue.sites import site_by_slug
    from shared.web.database import database

    with database(app).session_factory() as session:
        set_credentials(session, site_by_slug(session, "rsud-sts"), "mobilejkn", "uji-hostile-77")
        session.commit()
    login = {"x-username": "mobilejkn", "x-password": "uji-hostile-77"}
    token = client.get(f"/jkn/rsud-sts/{endpoint}", headers=login).get_json()["response"]["token"]
    return {"x-token": token, "x-username": "mobilejkn"}


@pytest.mark.parametrize(("method", "endpoint"), MOBILE_JKN_FKTP)
def test_a_hostile_body_gets_a_bpjs_refusal_fktp(app, personas, method, endpoint):
    client = personas("anonymous")
    headers = _jkn_headers(app, client, "auth")
    for body in (NESTED, DEEP_IN_A_FIELD, json.dumps({"nomorkartu": SURROGATE}), "{oops", "[]"):
        answer = client.open(
            f"/jkn/rsud-sts/{endpoint}",
            method=method,
            data=body,
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 201, answer.get_data(as_text=True)[:300]


@pytest.mark.parametrize("endpoint", MOBILE_JKN)
def test_a_hostile_body_gets_a_bpjs_refusal(app, personas, endpoint):
    client = personas("anonymous")
    headers = _jkn_headers(app, client, "token")
    for body in (NESTED, DEEP_IN_A_FIELD, json.dumps({"kodebooking": SURROGATE}), "{oops", "[]"):
        answer = client.post(
            f"/jkn/rsud-sts/{endpoint}", data=body, content_type="application/json", headers=headers
        )
        assert answer.status_code in (200, 201), answer.get_data(as_text=True)[:300]
        assert answer.get_json()["metadata"]["code"] == answer.status_code
