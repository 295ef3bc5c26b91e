"""A failed delivery's stored words map to a meaning an admin can read (shared/outbox/problems)."""

from __future__ import annotations

import pytest

from shared.outbox.problems import PROBLEMS, delivery_problem


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        ("ConnectError: [Errno 111] Connection refused", None, "unreachable"),
        ("ConnectError: [Errno -2] Name or service not known", None, "unreachable"),
        ("ConnectTimeout: timed out", None, "timeout"),
        ("ReadTimeout: The read operation timed out", None, "timeout"),
        ("HTTP 503: <html>Service Unavailable</html>", 503, "busy"),
        ("HTTP 429: slow down", 429, "busy"),
        ("HTTP 410: Gone", 410, "refused"),
        ("no gateway for whatsapp", None, "no_gateway"),
        ("webhook disabled: not delivered", None, "turned_off"),
        ("BPJS bridge turned off: not sent", None, "turned_off"),
        ("something new", None, "other"),
    ],
)
def test_each_stored_error_has_a_meaning(error, status, code):
    assert delivery_problem(error, status) == code
    assert code in PROBLEMS
