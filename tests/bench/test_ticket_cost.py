"""bench/ticket_cost.py on its own server, tiny: it reports CPU per static request and per ticket,
the statements of a ticket, and per queue length a ticket's and a call's cost; counts, not timing.
"""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_tickets_against_static_files():
    result = run_json(
        *("-m", "bench.ticket_cost", "--kiosks", "2", "--tickets", "12", "--static", "12")
    )
    assert result["tickets"] == 12 and result["duplicate_numbers"] == 0 and not result["failures"]
    assert result["statements"] > 0 and result["cpu_ms_per_ticket"] >= 0
    assert set(result["latency"]) >= {"p50_ms", "p95_ms"}


def test_cost_by_queue_length():
    result = run_json(
        *("-m", "bench.ticket_cost", "--kiosks", "2", "--waiting", "0,6"),
        *("--sample", "3", "--calls", "2"),
    )
    levels = result["levels"]
    assert [level["waiting"] for level in levels] == [0, 6]
    assert all(level["calls"] == 2 and not level["errors"] for level in levels)
