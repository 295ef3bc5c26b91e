"""Sign-in with argon2 hashes, rate limit, idle timeout, sign-out, safe redirects."""

from __future__ import annotations

import time

import pytest

from shared.web.auth import LAST_SEEN_STEP
from tests.counter.conftest import agency_by_short, csrf_of


def _login(client, username, password, **extra):
    token = csrf_of(client)
    form = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/counter/login", data=form)


def test_right_password_signs_in_and_sends_each_role_home(anonymous):
    clerk = anonymous()
    assert _login(clerk, "dukcapil1", "antre123").status_code == 302
    assert clerk.get("/counter/").headers["Location"].endswith("/counter/pick")
    admin = anonymous()
    _login(admin, "admin", "antre123")
    assert admin.get("/counter/").headers["Location"].endswith("/counter/dashboard")


def test_wrong_password_is_refused_in_indonesian(anonymous):
    answer = _login(anonymous(), "dukcapil1", "salah")
    assert answer.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in answer.get_data(as_text=True)


def test_login_form_needs_its_csrf_token(anonymous):
    answer = anonymous().post("/counter/login", data={"username": "admin", "password": "antre123"})
    assert answer.status_code == 400


def test_login_is_rate_limited(anonymous):
    client = anonymous()
    codes = [_login(client, "admin", "salah").status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_next_only_leads_inside_the_counter_app(anonymous):
    client = anonymous()
    inside = _login(client, "admin", "antre123", next="/counter/audit")
    assert inside.headers["Location"].endswith("/counter/audit")
    other = anonymous()
    outside = _login(other, "admin", "antre123", next="//evil.example/")
    assert outside.headers["Location"].endswith("/counter/")


def test_idle_session_signs_out(app, staff):
    client = staff("dukcapil1")
    assert client.get("/counter/api/services").status_code == 200
    idle = app.config["ANTRE"].session_idle_minutes * 60 + 5
    with client.session_transaction() as flask_session:
        flask_session["counter_last_seen"] = time.time() - idle
    assert client.get("/counter/api/services").status_code == 401


def test_logout(staff):
    client = staff("dukcapil1")
    assert client.post("/counter/logout").status_code == 302
    assert client.get("/counter/api/services").status_code == 401


def test_an_unknown_username_costs_a_password_verification_too(db, monkeypatch):
    """Structural: whatever the username, one argon2 verification runs, so the time taken does
    not tell which usernames exist."""
    from argon2 import PasswordHasher

    from shared.accounts import authenticate

    calls = []
    real = PasswordHasher.verify

    def counted(self, hash, password):
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    for username in ("dukcapil1", "nobody-like-this", ""):
        calls.clear()
        assert authenticate(db, username, "salah-sekali", demo=True) is None
        assert len(calls) == 1, username


def test_login_timing_does_not_tell_which_usernames_exist(db):
    """Loose, for a noisy shared machine: tries of both kinds alternate (so a load spike hits
    both), and the median for an unknown username is not a small fraction of the median for a
    real one with a wrong password (before: 5 ms against 184 ms)."""
    import statistics

    from shared.accounts import authenticate

    def timed(username):
        start = time.perf_counter()
        authenticate(db, username, "salah-sekali", demo=True)
        return time.perf_counter() - start

    timed("nobody")  # the dummy hash is made once, on first use
    pairs = [(timed("dukcapil1"), timed("nobody-like-this")) for _ in range(9)]
    known = statistics.median(k for k, _ in pairs)
    unknown = statistics.median(u for _, u in pairs)
    assert unknown > 0.3 * known, (known, unknown)


def _copy(anonymous, client):
    """Another client holding a copy of ``client``'s session cookie."""
    thief = anonymous()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_logout_revokes_a_copied_cookie(staff, anonymous):
    client = staff("dukcapil1")
    assert client.get("/counter/api/services").status_code == 200  # the cookie as it is now
    thief = _copy(anonymous, client)
    assert thief.get("/counter/api/services").status_code == 200
    assert client.post("/counter/logout").status_code == 302
    assert thief.get("/counter/api/services").status_code == 401


@pytest.mark.parametrize("change", ["password", "deactivate", "role", "agency"])
def test_account_changes_revoke_its_sessions(app, staff, anonymous, db, change):
    """Made on the admin page: the user's sessions end on the next request."""
    from shared.accounts import find_user

    clerk = staff("dukcapil1")
    assert clerk.get("/counter/api/services").status_code == 200
    user = find_user(db, "dukcapil1")
    form = {
        "username": "dukcapil1",
        "name": user.name,
        "role": "supervisor" if change == "role" else "clerk",
        "agency_id": str(
            agency_by_short(db, "Samsat").id if change == "agency" else user.agency_id
        ),
        "password": "loket-baru-siang" if change == "password" else "",
        "active": "" if change == "deactivate" else "1",
    }
    admin = staff("admin")
    assert admin.post(f"/counter/admin/staff/{user.id}", data=form).status_code == 302
    assert clerk.get("/counter/api/services").status_code == 401
    assert admin.get("/counter/api/services").status_code == 200  # others keep theirs


def test_the_idle_clock_moves_in_steps_so_the_cookie_is_not_sent_on_every_request(app, staff):
    client = staff("dukcapil1")
    with client.session_transaction() as flask_session:
        flask_session["counter_last_seen"] = time.time() - LAST_SEEN_STEP + 20
    answer = client.get("/counter/api/services")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers  # moved 10 s: kept
    with client.session_transaction() as flask_session:
        kept = flask_session["counter_last_seen"]
        flask_session["counter_last_seen"] = time.time() - LAST_SEEN_STEP - 1
    assert kept < time.time() - 5
    answer = client.get("/counter/api/services")
    assert answer.status_code == 200 and "Set-Cookie" in answer.headers
    with client.session_transaction() as flask_session:
        assert flask_session["counter_last_seen"] > time.time() - 5  # moved on


def test_use_does_not_keep_a_session_alive_for_ever(app, staff):
    """Use re-signs the cookie (the idle clock); the sign-in time does not move, and
    past ``session_max_hours`` the session ends however busy it was."""
    client = staff("dukcapil1")
    assert client.get("/counter/api/services").status_code == 200
    hours = app.config["ANTRE"].session_max_hours
    with client.session_transaction() as flask_session:
        flask_session["counter_signed_in"] = time.time() - hours * 3600 - 5
        flask_session["counter_last_seen"] = time.time()
    assert client.get("/counter/api/services").status_code == 401
