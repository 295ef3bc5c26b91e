"""bench/in_process.py, tiny: taps and clerk cycles through the test client; counts, not timing."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_taps_and_cycles_in_process():
    result = run_json("-m", "bench.in_process", "--taps", "3", "--cycles", "2", "--served", "3")
    assert len(result["tap_cpu_ms_rounds"]) == 3 and result["tap_cpu_ms"] > 0
    assert result["cycles"] == 2 and result["served_before"] == 3
    assert set(result["cpu_ms_p50"]) == {"call", "start", "finish"}
    assert all(ms > 0 for ms in result["cpu_ms_p50"].values())
