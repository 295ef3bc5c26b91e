"""The embedded default, as a user starts it: python run.py migrates, seeds and serves."""

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


@pytest.mark.slow
def test_run_py_refuses_the_demo_secret_outside_demo_mode(tmp_path):
    import subprocess
    import sys

    from tests.servers import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--port", "1"],
        env={
            "ANTRE_DEMO": "0",
            "ANTRE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "ANTRE_SECRET_KEY" in result.stderr
