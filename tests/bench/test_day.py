"""bench/day.py, a tiny day (30 visitors in about 20 s), against a real server process: the
simulation and its outside checks are exercised in CI, not only by hand."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.servers import ROOT, running_server

pytestmark = pytest.mark.slow


def test_a_tiny_busy_day(tmp_path):
    with running_server(
        f"sqlite:///{tmp_path / 'antre.db'}",
        log_path=tmp_path / "server.log",
        ANTRE_INSTANCE_PATH=str(tmp_path / "instance"),
    ) as (base, _process):
        run = subprocess.run(
            [sys.executable, "bench/day.py", "--url", base, "--visitors", "30"]
            + ["--minutes", "0.3", "--max-seconds", "90", "--transfer-share", "0.3"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout)
    assert summary["ok"] and summary["checks"]["the_day_happened"]["tickets_at_kiosk"] >= 24
    reported = summary["checks"]["report_matches"]["reported"]
    assert reported == summary["checks"]["report_matches"]["simulated"]
    assert reported["Served"] > 0 and summary["tv_calls_seen"]["zone 1"] > 0


def test_refuses_a_server_elsewhere():
    run = subprocess.run(
        [sys.executable, "bench/day.py", "--url", "http://192.0.2.1:5000", "--visitors", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "loopback" in run.stderr
