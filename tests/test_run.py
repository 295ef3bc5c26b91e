"""The embedded default as a user starts it: python run.py, production unless --demo."""

from __future__ import annotations

import pytest
import requests

from tests.servers import running_server


@pytest.mark.slow
def test_run_py_starts_a_working_demo_on_a_fresh_database(tmp_path):
    db = tmp_path / "instance" / "antre.db"
    log = tmp_path / "run.log"
    with running_server(f"sqlite:///{db}", log_path=log) as (base, _process):
        assert "MPP Kabupaten Tebo" in requests.get(base + "/", timeout=5).text
        for path in ("/kiosk/", "/counter/", "/display/"):
            assert requests.get(base + path, timeout=5).status_code == 200, path
        js = requests.get(base + "/static/vendor/socket.io.min.js", timeout=5)
        assert js.status_code == 200
    output = log.read_text()
    assert db.exists()
    assert f"{base}/kiosk/" in output and f"{base}/t/<code>" in output
    assert "admin" in output and "antre123" in output
    # Kabupaten Tebo's four sites, each with its demo kiosk, its TV chooser and its own logins
    for slug in ("mpp-tebo", "rsud-sts", "pkm-muaro-tebo", "pusling-tebo"):
        assert f"{base}/kiosk/?site={slug}" in output and f"{base}/display/?site={slug}" in output
    assert "pendaftaran1" in output and "spv.rsud" in output and "pusling.pemeriksaan1" in output


def _forged_cookie(user_id: int, key: str) -> str:
    from flask import Flask

    app = Flask("forger")
    app.secret_key = key
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"_user_id": str(user_id), "_fresh": True, "counter_last_seen": 0})


def _sign_in(base: str, username: str, password: str) -> requests.Session:
    import re

    browser = requests.Session()
    page = browser.get(base + "/counter/login", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": password, "csrf_token": token}
    answer = browser.post(base + "/counter/login", data=form, timeout=5, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return browser


@pytest.mark.slow
def test_run_py_alone_is_production_mode(tmp_path):
    """No ANTRE_DEMO, no ANTRE_SECRET_KEY, no database: production. No demo mall or logins; the
    banner says how to make the first admin; a key is generated once (owner-only) and kept
    across restarts; a cookie signed with the public demo key is worthless."""
    import os
    import stat

    from click.testing import CliRunner

    from shared.cli import main
    from shared.config import DEFAULT_SECRET_KEY

    db = f"sqlite:///{tmp_path / 'antre.db'}"
    instance = tmp_path / "instance"
    env = {"ANTRE_DEMO": "", "ANTRE_SECRET_KEY": "", "ANTRE_INSTANCE_PATH": str(instance)}
    log = tmp_path / "run.log"
    with running_server(db, log_path=log, **env) as (base, _process):
        output = log.read_text()
        assert "antre create-admin" in output and "antre123" not in output
        assert "MPP Kabupaten Tebo" not in requests.get(base + "/", timeout=5).text
        key_file = instance / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text()
        created = CliRunner().invoke(
            main,
            ["create-admin", "--username", "kepala", "--name", "Kepala MPP"],
            input="jeruk-manis-pagi\n" * 2,
            env={"ANTRE_DATABASE_URL": db},
        )
        assert created.exit_code == 0, created.output
        forged = requests.get(
            base + "/counter/api/dashboard",
            cookies={"session": _forged_cookie(1, DEFAULT_SECRET_KEY)},
            timeout=5,
        )
        assert forged.status_code == 401
        forged_page = requests.get(
            base + "/counter/admin/staff/",
            cookies={"session": _forged_cookie(1, DEFAULT_SECRET_KEY)},
            timeout=5,
            allow_redirects=False,
        )
        assert (
            forged_page.status_code == 302 and "/counter/login" in forged_page.headers["Location"]
        )
        ticket = requests.post(base + "/kiosk/api/tickets", json={"service_id": 1}, timeout=5)
        assert ticket.status_code in (401, 403), ticket.text  # no kiosk without its token
        admin = _sign_in(base, "kepala", "jeruk-manis-pagi")
        assert admin.get(base + "/counter/admin/staff/", timeout=5).status_code == 200
    # Accounts on the demo password (the demo mall added by mistake) do not keep it down.
    seeded = CliRunner().invoke(main, ["seed-demo"], env={"ANTRE_DATABASE_URL": db})
    assert seeded.exit_code == 0, seeded.output
    again = tmp_path / "again.log"
    with running_server(db, log_path=again, **env) as (base, _process):
        assert key_file.read_text() == key  # created once, kept across restarts
        assert admin.get(base + "/counter/admin/staff/", timeout=5).status_code == 200
        assert "'admin' still had the demo password: deactivated" in again.read_text()
    assert os.listdir(instance).count("secret_key") == 1


@pytest.mark.slow
def test_run_py_refuses_a_weak_secret_outside_demo_mode(tmp_path):
    import subprocess
    import sys

    from tests.servers import ROOT

    for weak in ("a" * 32, "rahasia-mpp-2026", "antre-demo-secret-key-change-me"):
        result = subprocess.run(
            [sys.executable, str(ROOT / "run.py"), "--port", "1"],
            env={
                "ANTRE_SECRET_KEY": weak,
                "ANTRE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
                "PATH": "/usr/bin:/bin",
            },
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert result.returncode != 0
        assert "ANTRE_SECRET_KEY is refused" in result.stderr, result.stderr
