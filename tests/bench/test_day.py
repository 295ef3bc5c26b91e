"""bench/day.py, a tiny day (30 visitors in about 20 s), against a real server process: the
simulation and its outside checks are exercised in CI, not only by hand, booked visitors too
(today's slots made through the admin form, booked, checked in at the kiosk and the counter)."""

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
            + ["--minutes", "0.3", "--max-seconds", "90", "--transfer-share", "0.3"]
            + ["--booked-share", "0.2", "--counter-checkin-share", "0.4"]
            + ["--booked-no-show-share", "0.2"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout)
    checks = summary["checks"]
    assert summary["ok"] and checks["the_day_happened"]["tickets_at_kiosk"] >= 20
    reported = checks["report_matches"]["reported"]
    assert reported == checks["report_matches"]["simulated"]
    assert reported["Served"] > 0 and summary["tv_calls_seen"]["zone 1"] > 0
    # Six booked: one never comes, two check in at a clerk's console, three at the kiosk; each
    # check-in's ticket is counted as an online-booking arrival and went through the queue.
    booked = summary["booked_today"]
    assert booked["booked"] == 6 and booked["slots_removed_after"] == booked["slots_made"] > 0
    assert checks["bookings_checked_in"] == {
        "ok": True,
        "bookings": {"no_show": 1, "counter": 2, "kiosk": 3},
        "problems": {},
    }
    counts = summary["counts"]
    assert (counts["checked_in_at_kiosk"], counts["checked_in_at_counter"]) == (3, 2)
    assert reported["Online booking"] == 5 and counts["booked_no_show"] == 1


def test_refuses_a_server_elsewhere():
    run = subprocess.run(
        [sys.executable, "bench/day.py", "--url", "http://192.0.2.1:5000", "--visitors", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "loopback" in run.stderr
