"""bench/queue_length.py in a tiny configuration: it runs and reports; the timing is not checked."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_two_levels_three_samples():
    result = run_json("-m", "bench.queue_length", "--levels", "0,15", "--samples", "3")
    assert [level["waiting"] for level in result["levels"]] == [0, 15]
    longest = result["levels"][-1]
    assert longest["ticket_cpu"]["count"] == 3 and longest["call_cpu"]["count"] == 3
    assert longest["count_cpu"]["count"] == 3 and longest["count_cpu"]["p50_ms"] > 0
    assert 0 < longest["phone_message_bytes"]["max"] < 1000
    assert set(result["ratio_longest_to_shortest"]) == {"ticket_cpu_p50", "call_cpu_p50"}
