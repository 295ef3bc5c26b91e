"""bench/sqlite_sync.py runs as documented and issues what it says, at both levels; counts, not
timing."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_both_levels_issue_every_ticket(tmp_path):
    result = run_json(
        *("-m", "bench.sqlite_sync", "--tickets", "5", "--rounds", "1", "--dir", str(tmp_path))
    )
    assert result["tickets_per_level"] == 5
    assert set(result["levels"]) == {"NORMAL", "FULL"}
    for level in result["levels"].values():
        assert level["ticket"]["count"] == level["commit"]["count"] == 5
    assert list(tmp_path.iterdir()) == []  # its databases are removed
