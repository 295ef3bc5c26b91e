"""bench/wal_pages.py, tiny: the WAL frames of a few taps and cycles, named by their b-trees."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_frames_are_counted_per_request_and_named():
    result = run_json("-m", "bench.wal_pages", "--taps", "5", "--cycles", "2", "--earlier", "10")
    tap, cycle = result["tap"], result["cycle"]
    # A tap writes at least its ticket, visit and log line; a cycle its ticket three times.
    assert tap["frames_per_request"] >= 3 and cycle["frames_per_request"] >= 3
    assert {"ticket", "visit", "ticket_log"} <= set(tap["by_btree"])
    assert cycle["by_btree"]["ticket"] >= 3
    # What a waiting ticket has not got yet takes no entry (migration 0020_partial_indexes) …
    assert not {"ix_ticket_calls", "ix_ticket_finished", "ix_ticket_counter_status"} & set(
        tap["by_btree"]
    )
    assert not any(name.endswith("_origin") for name in tap["by_btree"])
    # … until it has it: a call gives it a counter and a call time, a finish its finish time.
    assert {"ix_ticket_calls", "ix_ticket_finished", "ix_ticket_counter_status"} <= set(
        cycle["by_btree"]
    )
