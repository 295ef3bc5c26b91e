"""Sign-in with argon2 hashes, rate limit, idle timeout, sign-out, safe redirects."""

from __future__ import annotations

import time

from tests.counter.conftest import csrf_of


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
    """Loose, for a noisy machine: the median of unknown-user sign-ins is not a fraction of the
    median for a real user with a wrong password (it was 5 ms against 184 ms)."""
    import statistics

    from shared.accounts import authenticate

    def median(username):
        times = []
        for _ in range(7):
            start = time.perf_counter()
            authenticate(db, username, "salah-sekali", demo=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    authenticate(db, "nobody", "x", demo=True)  # the dummy hash is made once, on first use
    known, unknown = median("dukcapil1"), median("nobody-like-this")
    assert unknown > 0.5 * known, (known, unknown)
