"""bench/day.py, a tiny day (30 visitors in about 20 s), against a real server process: the
simulation and its outside checks are exercised in CI, not only by hand, booked visitors too
(today's slots made through the admin form, booked, checked in at the kiosk and the counter)."""

from __future__ import annotations

import pytest

from tests.bench.runs import demo_server, refuses_elsewhere, run_json

pytestmark = pytest.mark.slow


def test_a_tiny_busy_day(tmp_path):
    with demo_server(tmp_path) as (base, _process):
        summary = run_json(
            *("bench/day.py", "--url", base, "--visitors", "30"),
            *("--minutes", "0.3", "--max-seconds", "90", "--transfer-share", "0.3"),
            *("--booked-share", "0.2", "--counter-checkin-share", "0.4"),
            *("--booked-no-show-share", "0.2"),
        )
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
    assert refuses_elsewhere("bench/day.py", "--visitors", "5")
