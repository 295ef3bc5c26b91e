"""bench/regional_reports.py runs as documented and compares every site it seeded; counts, not
timing."""

from __future__ import annotations

import pytest

from tests.bench.runs import run_json

pytestmark = pytest.mark.slow


def test_three_sites_a_month(tmp_path):
    db = tmp_path / "regional.db"
    result = run_json(
        *("-m", "bench.regional_reports", "--sites", "3", "--repeat", "1", "--sqlite", str(db))
    )
    for run in result["runs"]:  # SQLite, and PostgreSQL when ANTRE_TEST_POSTGRES_URL is set
        assert run["sites"] == run["compared_sites"] == 3
        assert run["business_days"] == 25  # November 2026, Monday to Saturday
        # 3 sites x 25 days x 12 counters x 8 hours x 2 sources; 30 answers per site and day
        assert run["rows"]["report_daily"] == 3 * 25 * 12 * 16
        assert run["rows"]["survey_response"] == 3 * 25 * 30
        assert run["issued_in_month"] >= run["rows"]["report_daily"]  # one ticket or more each
        assert run["compare_sites_month"]["best_seconds"] > 0
