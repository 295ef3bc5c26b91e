"""bench/race_call_next.py in a tiny configuration (3 clerks, 30 tickets) against a real server:
the set-up through the admin pages works and the outcome is checked, not the timing."""

from __future__ import annotations

import pytest

from tests.bench.runs import demo_server, refuses_elsewhere, run_json

pytestmark = pytest.mark.slow


def race(base: str, clerks: int, tickets: int) -> dict:
    return run_json(
        *("-m", "bench.race_call_next", "--url", base),
        *("--clerks", str(clerks), "--tickets", str(tickets)),
    )


def test_three_clerks_call_thirty_tickets_once_each(tmp_path):
    with demo_server(tmp_path) as (base, _process):
        first = race(base, 3, 30)
        # A second run on the same server adds three more counters and clerks of its own.
        second = race(base, 3, 12)
    assert first["ok"] and second["ok"]
    assert (first["tickets_issued"], first["calls"], first["clerks"]) == (30, 30, 3)
    assert first["called_twice"] == [] and first["issued_not_called"] == 0
    assert first["called_not_issued_here"] == 0 and first["errors"] == {}
    assert sum(first["calls_per_clerk"]) == 30 and first["empty_answers"] == 3
    assert first["call_latency"]["count"] == 33
    assert second["calls"] == 12 and second["called_not_issued_here"] == 0


def test_refuses_a_server_elsewhere():
    assert refuses_elsewhere("-m", "bench.race_call_next")
