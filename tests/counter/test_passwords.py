"""One password rule (shared/passwords.py) wherever a password is set; the demo password outside
demo mode disables its account at start-up (the server still serves) and never signs in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.accounts import DEMO_PASSWORD, find_user
from shared.db import make_engine, make_session_factory
from shared.models import AuditLog
from shared.passwords import password_weakness
from shared.web.startup import prepare_database
from tests.counter.conftest import csrf_of


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "short"),
        ("antre123", "demo"),
        ("ANTRE123", "demo"),
        ("password", "common"),
        ("12345678", "common"),
        ("Password!", "common"),
        ("bismillah", "common"),
        ("bismillah2026", "common"),
        ("indonesia", "common"),
        ("rahasia-99", "common"),
        ("qwerty123", "common"),
        ("aaaaaaaaaaaa", "common"),
        ("dukcapil1", "username"),
        ("Dukcapil1!", "username"),
    ],
)
def test_the_rule_refuses_short_common_demo_and_username_passwords(password, reason):
    assert password_weakness(password, "dukcapil1") == reason


def test_the_rule_accepts_a_reasonable_password():
    assert password_weakness("jeruk-manis-99", "dukcapil1") is None
    assert password_weakness("Loket tiga buka jam 8", "admin") is None


def _production(config):
    config.demo = False
    config.secret_key = "k3Y-" + "Zq8vW2mNp4Rt6Yu1Ix9Lo7Ke5Jh3Gf0" * 2


@pytest.mark.parametrize("password", ["antre123", "password", "12345678", "bismillah1"])
def test_admin_page_refuses_weak_passwords(app, staff, db, password):
    _production(app.config["ANTRE"])
    admin = staff("admin")
    user = find_user(db, "dukcapil2")
    form = {
        "username": "dukcapil2",
        "name": user.name,
        "role": "clerk",
        "agency_id": str(user.agency_id),
        "password": password,
        "active": "1",
    }
    answer = admin.post(f"/counter/admin/staff/{user.id}", data=form)
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "terlalu umum" in text or "kata sandi demo" in text  # in Indonesian, saying why
    db.expire_all()
    from shared.accounts import verify_password

    assert verify_password(find_user(db, "dukcapil2"), DEMO_PASSWORD)  # unchanged


def test_cli_refuses_weak_passwords(runner):
    weak = runner("create-admin", "--username", "kepala", "--name", "K", input="password\n" * 2)
    assert weak.exit_code != 0 and "common" in weak.output
    demo = runner("set-password", "--username", "admin", input="antre123\nantre123\n")
    assert demo.exit_code != 0 and "demo password" in demo.output


def test_startup_disables_demo_password_accounts_and_keeps_serving(config, caplog):
    prepare_database(config, upgrade=False)  # demo: seeds 22 accounts on the demo password
    _production(config)
    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        kept = find_user(session, "dukcapil1")
        from shared.accounts import set_password

        set_password(kept, "loket-satu-pagi")
        session.commit()
    with caplog.at_level("WARNING"):
        assert prepare_database(config, upgrade=False) == []  # no ConfigError
    import kiosk

    kiosk.create_app(config)  # a standalone app (under gunicorn) starts too
    with make_session_factory(engine)() as session:
        assert find_user(session, "admin").active is False
        assert find_user(session, "dukcapil1").active is True
        audit = session.execute(
            select(AuditLog).where(AuditLog.action == "staff.disabled_demo_password")
        ).scalars()
        assert "admin" in {entry.details["username"] for entry in audit}
    engine.dispose()
    assert "'admin' still had the demo password" in caplog.text


def test_outside_demo_mode_the_demo_password_never_signs_in(app, anonymous, db):
    _production(app.config["ANTRE"])
    client = anonymous()
    token = csrf_of(client)
    form = {"username": "dukcapil1", "password": DEMO_PASSWORD, "csrf_token": token}
    assert client.post("/counter/login", data=form).status_code == 401
    app.config["ANTRE"].demo = True
    assert client.post("/counter/login", data=form).status_code == 302


def test_reactivating_an_account_on_the_demo_password_needs_a_new_one(app, staff, db):
    _production(app.config["ANTRE"])
    user = find_user(db, "dukcapil2")
    user.active = False
    db.commit()
    form = {
        "username": "dukcapil2",
        "name": user.name,
        "role": "clerk",
        "agency_id": str(user.agency_id),
        "password": "",
        "active": "1",
    }
    admin = staff("admin")
    assert admin.post(f"/counter/admin/staff/{user.id}", data=form).status_code == 422
    form["password"] = "loket-dua-siang"
    assert admin.post(f"/counter/admin/staff/{user.id}", data=form).status_code == 302


def test_a_disabled_account_comes_back_with_a_new_password(config, runner):
    """What the IT officer does after start-up disabled the admin: antre set-password
    --activate."""
    prepare_database(config, upgrade=False)
    _production(config)
    prepare_database(config, upgrade=False)  # disables every demo-password account
    answer = runner(
        "set-password", "--username", "admin", "--activate", input="kopi-tubruk-pagi\n" * 2
    )
    assert answer.exit_code == 0, answer.output
    engine = make_engine(config.database_url)
    with make_session_factory(engine)() as session:
        from shared.accounts import authenticate

        assert authenticate(session, "admin", "kopi-tubruk-pagi", demo=False) is not None
        assert find_user(session, "dukcapil1").active is False  # the others stay disabled
    engine.dispose()
