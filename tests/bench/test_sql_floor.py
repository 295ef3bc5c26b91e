"""bench/sql_floor.py, tiny: a few taps recorded and replayed; counts and the replay's outcome."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_a_taps_sql_replays_to_the_same_tickets():
    result = run_json("-m", "bench.sql_floor", "--taps", "4", "--static", "5")
    assert result["taps"] == 4
    assert result["replay_made_the_same_tickets"] is True
    assert result["statements_per_tap"] >= 8  # BEGIN, the key, the number, the rows, the events
    assert result["sql_cpu_ms_per_tap"] > 0 and result["app_cpu_ms_per_tap"] > 0
    assert result["static_cpu_ms"] > 0
