"""bench/sql_floor.py, tiny: a few taps and clerk cycles recorded and replayed; counts and the
replay's outcome, not timing."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_taps_and_calls_replay_to_the_same_tickets():
    result = run_json("-m", "bench.sql_floor", "--taps", "4", "--cycles", "2", "--static", "5")
    assert (result["taps"], result["cycles"]) == (4, 2)
    assert result["replay_made_the_same_tickets"] is True
    requests = result["requests"]
    assert set(requests) == {"tap", "call", "start", "finish"}
    assert requests["tap"]["statements"] >= 8  # BEGIN, the key, the number, the rows, the events
    assert requests["call"]["statements"] >= 8  # the user, the heads, the claim, its log, events
    for figures in requests.values():
        assert figures["sql_cpu_ms"] > 0 and figures["app_cpu_ms"] > 0
    assert result["static_cpu_ms"] > 0
