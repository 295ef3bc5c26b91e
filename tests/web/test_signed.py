"""Session cookies and CSRF tokens checked once per process (shared/web/signed.py), on a bare
Flask app: what is remembered never lets through what the full check refuses."""

from __future__ import annotations

import time

import pytest
from flask import Blueprint, Flask, jsonify, session
from flask_wtf import csrf as flask_wtf_csrf
from flask_wtf.csrf import generate_csrf

from shared.web.signed import CSRFProtect, Remembered, SessionInterface


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test-secret", WTF_CSRF_TIME_LIMIT=None)
    app.session_interface = SessionInterface()
    CSRFProtect(app)  # a new instance: its exemptions and remembered tokens are this app's

    @app.get("/token")
    def token():
        return generate_csrf()

    @app.post("/fill")
    def fill():
        session["items"] = ["first"]
        return "filled"

    @app.post("/append")
    def append():
        session["items"].append("changed in place")  # not marked modified: not saved
        return jsonify(session["items"])

    @app.get("/items")
    def items():
        return jsonify(session.get("items"))

    @app.post("/json")
    def json_post():
        return "accepted"

    open_api = Blueprint("open", __name__)

    @open_api.post("/open")
    def open_post():
        return "open"

    app.extensions["csrf"].exempt(open_api)
    app.register_blueprint(open_api)
    return app


@pytest.fixture
def loads_counted(monkeypatch):
    """How many times a signed value was decoded in full (the session's or a token's)."""
    calls = []
    real = SessionInterface.get_signing_serializer

    def counted(self, app):
        serializer = real(self, app)
        plain = serializer.loads

        def loads(*args, **kwargs):
            calls.append("session")
            return plain(*args, **kwargs)

        serializer.loads = loads
        return serializer

    real_validate = flask_wtf_csrf.validate_csrf

    def validate(*args, **kwargs):
        calls.append("csrf")
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(SessionInterface, "get_signing_serializer", counted)
    monkeypatch.setattr(flask_wtf_csrf, "validate_csrf", validate)
    return calls


def _token(client) -> str:
    return client.get("/token").get_data(as_text=True)


def test_a_session_cookie_is_decoded_once_and_read_on_every_request(app, loads_counted):
    client = app.test_client()
    token = _token(client)
    assert client.post("/fill", headers={"X-CSRFToken": token}).status_code == 200
    loads_counted.clear()
    for _ in range(3):
        assert client.get("/items").get_json() == ["first"]
    assert loads_counted.count("session") == 1


def test_a_change_in_place_does_not_reach_the_next_request(app):
    client = app.test_client()
    token = _token(client)
    client.post("/fill", headers={"X-CSRFToken": token})
    answer = client.post("/append", headers={"X-CSRFToken": token})
    assert answer.get_json() == ["first", "changed in place"]
    assert client.get("/items").get_json() == ["first"]  # as Flask without the memory


def test_a_tampered_cookie_gives_a_new_session_and_is_not_kept(app):
    client = app.test_client()
    token = _token(client)
    client.post("/fill", headers={"X-CSRFToken": token})
    signed = client.get_cookie("session").value
    client.set_cookie("session", signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"))
    assert client.get("/items").get_json() is None
    assert len(app.session_interface.remembered._found) == 1  # only the good one


def test_a_remembered_session_still_ends_at_its_age(app):
    client = app.test_client()
    token = _token(client)
    client.post("/fill", headers={"X-CSRFToken": token})
    assert client.get("/items").get_json() == ["first"]
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    app.session_interface.clock = lambda: time.time() + lifetime + 5
    assert client.get("/items").get_json() is None


def test_a_token_is_checked_in_full_once(app, loads_counted):
    client = app.test_client()
    token = _token(client)
    loads_counted.clear()
    for _ in range(3):
        assert client.post("/json", json={}, headers={"X-CSRFToken": token}).status_code == 200
    assert loads_counted.count("csrf") == 1


def test_a_remembered_token_is_refused_with_another_session(app):
    mine, theirs = app.test_client(), app.test_client()
    token = _token(mine)
    assert mine.post("/json", json={}, headers={"X-CSRFToken": token}).status_code == 200
    _token(theirs)  # a session of its own, with its own secret
    assert theirs.post("/json", json={}, headers={"X-CSRFToken": token}).status_code == 400


def test_missing_and_bad_tokens_are_refused_every_time(app):
    client = app.test_client()
    token = _token(client)
    for _ in range(2):
        assert client.post("/json", json={}).status_code == 400
        bad = client.post("/json", json={}, headers={"X-CSRFToken": token + "x"})
        assert bad.status_code == 400


def test_a_form_field_still_carries_the_token(app):
    client = app.test_client()
    token = _token(client)
    for _ in range(2):
        assert client.post("/json", data={"csrf_token": token}).status_code == 200


def test_exempt_views_stay_exempt(app):
    client = app.test_client()
    token = _token(client)
    client.post("/json", json={}, headers={"X-CSRFToken": token})
    assert client.post("/open", json={}).status_code == 200


def test_over_https_a_remembered_token_still_needs_the_referrer(app):
    client = app.test_client()
    https = {"base_url": "https://antre.test"}
    token = client.get("/token", **https).get_data(as_text=True)
    same = {"X-CSRFToken": token, "Referer": "https://antre.test/kiosk/"}
    assert client.post("/json", json={}, headers=same, **https).status_code == 200
    alone = {"X-CSRFToken": token}
    assert client.post("/json", json={}, headers=alone, **https).status_code == 400
    other = {"X-CSRFToken": token, "Referer": "https://elsewhere.test/"}
    assert client.post("/json", json={}, headers=other, **https).status_code == 400
    assert client.post("/json", json={}, headers=same, **https).status_code == 200


def test_tokens_that_expire_are_checked_every_time(app, loads_counted):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    client = app.test_client()
    token = _token(client)
    loads_counted.clear()
    for _ in range(2):
        assert client.post("/json", json={}, headers={"X-CSRFToken": token}).status_code == 200
    assert loads_counted.count("csrf") == 2


def test_the_memory_keeps_the_latest_values():
    kept = Remembered(size=2)
    for name in ("a", "b", "c"):
        kept.put((name,), name)
    assert [kept.get((name,)) for name in ("a", "b", "c")] == [None, "b", "c"]
