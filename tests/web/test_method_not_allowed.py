"""Every route answers a method it does not serve with 405 and an Allow header (RFC 9110 15.5.6):
the error handler builds its own answer, and used to drop the header werkzeug had set."""

from __future__ import annotations

import re

import pytest

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


def _path(rule: str) -> str:
    return re.sub(r"<(?:int:)?[a-z_]+>", lambda m: "1" if "int:" in m.group(0) else "x", rule)


def _cases(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        unserved = [m for m in METHODS if m not in rule.methods]
        path = re.sub(r"<path:[a-z_]+>", "x", _path(rule.rule))
        if unserved and app.url_map.bind("localhost").test(path, method=sorted(rule.methods)[0]):
            yield path, unserved[0], rule.methods


def test_every_route_names_its_methods_when_refusing_one(app, client):
    seen = 0
    for path, method, served in _cases(app):
        answer = client.open(path, method=method)
        if answer.status_code != 405:
            continue  # another rule of the same path serves this method
        seen += 1
        allow = {m.strip() for m in answer.headers.get("Allow", "").split(",") if m.strip()}
        assert allow, f"{method} {path}: 405 without Allow"
        assert allow >= (served - {"HEAD", "OPTIONS"}), (path, allow, served)
    assert seen > 40  # the whole app, not a handful


@pytest.mark.parametrize("path", ["/kiosk/api/tickets", "/counter/api/services"])
def test_the_405_answer_is_json_with_the_one_error_shape_on_the_api(client, path):
    answer = client.delete(path)
    assert answer.status_code == 405
    assert answer.get_json()["error"] == "method_not_allowed" and answer.get_json()["message"]
    assert "Allow" in answer.headers
