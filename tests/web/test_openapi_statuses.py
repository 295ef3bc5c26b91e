"""The statuses docs/openapi.yaml was missing, provoked for real and looked up in the document:
each probe must answer what it says, and that status must be documented for its operation."""

from __future__ import annotations

import pytest

from tests.counter import conftest as counter_tests
from tests.counter.conftest import csrf_of, first_counter, issue
from tests.web.test_openapi import _spec

db, anonymous, staff = counter_tests.db, counter_tests.anonymous, counter_tests.staff

NO_BOOKING = "ZZZZZZZZ"
STATUS = "/counter/api/counters/{counter_id}/status"
CALL_NEXT = "/counter/api/counters/{counter_id}/call-next"
ACTION = "/counter/api/tickets/{ticket_id}/{action}"
TEXT = {"data": "x", "content_type": "text/plain"}
# (who, method, documented path, concrete path, request options, expected status, times sent)
PROBES = [
    ("nobody", "get", "/counter/api/dashboard", None, {}, 401, 1),
    ("admin", "get", "/counter/api/dashboard", None, {"query_string": "agency_id=x"}, 422, 1),
    ("nobody", "get", "/counter/api/services", None, {}, 401, 1),
    ("no_csrf", "post", STATUS, None, {"json": {}}, 400, 1),
    ("admin", "post", STATUS, "/counter/api/counters/999999/status", {"json": {}}, 404, 1),
    ("nobody", "post", STATUS, None, {"json": {}}, 401, 1),
    ("admin", "post", STATUS, None, TEXT, 415, 1),
    ("admin", "post", CALL_NEXT, "/counter/api/counters/999999/call-next", {}, 404, 1),
    ("admin", "post", CALL_NEXT, None, {"json": [1]}, 422, 1),
    ("nobody", "post", CALL_NEXT, None, {"json": {}}, 401, 1),
    ("admin", "post", ACTION, None, TEXT, 415, 1),
    ("nobody", "post", ACTION, None, {"json": {}}, 401, 1),
    ("nobody", "get", "/kiosk/api/bookings/{code}", None, {}, 429, 61),
    ("nobody", "post", "/kiosk/api/bookings/{code}/cancel", None, {}, 429, 21),
    ("nobody", "post", "/kiosk/api/bookings", None, TEXT, 415, 1),
]


@pytest.fixture
def config(config):
    config.rate_limits = True  # the 429s are among the probes
    return config


@pytest.mark.parametrize(
    ("who", "method", "documented", "concrete", "options", "expected", "times"),
    PROBES,
    ids=[f"{p[1]} {p[2]} {p[5]}" for p in PROBES],
)
def test_the_answer_is_the_documented_one(
    anonymous, staff, db, who, method, documented, concrete, options, expected, times
):
    if who == "nobody":
        client = anonymous()
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_of(client)  # so that the 401 answers
    else:
        client = staff("admin", with_csrf=who != "no_csrf")
    path = concrete or documented.format(
        counter_id=first_counter(db, "Dukcapil").id,
        ticket_id=issue(db, "Dukcapil").id if "{ticket_id}" in documented else 0,
        action="finish",
        code=NO_BOOKING,
    )
    for _ in range(times):
        answer = client.open(path, method=method.upper(), **options)
    assert answer.status_code == expected, answer.get_data(as_text=True)[:300]
    assert answer.is_json and answer.get_json()["message"]
    documented_statuses = _spec()["paths"][documented][method]["responses"]
    assert str(expected) in documented_statuses
