"""bench/province.py in a tiny province (3 sites) on two processes behind nginx, sharing Redis:
every TV joins its own site's zone, every call reaches every TV of its site and none of another,
no number twice, the memory of each process is read (no timing checked)."""

from __future__ import annotations

import os
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.bench.runs import refuses_elsewhere, run_json
from tests.conftest import POSTGRES_ENV, REDIS_ENV

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_tiny_province_keeps_each_sites_calls_on_its_own_tvs():
    base, cache = os.environ.get(POSTGRES_ENV), os.environ.get(REDIS_ENV)
    if not base or not cache:
        pytest.skip(f"{POSTGRES_ENV} and {REDIS_ENV} are needed: two processes share both")
    url = make_url(base)
    pg = f"{url.host}:{url.port or 5432}:{url.username}"
    cluster = ("-m", "bench.cluster", "--app", "run", "--processes", "2", "--pg", pg)
    cluster += ("--redis", cache, "--seed", "province", "--sites", "3", "--nginx", "--")
    result = run_json(
        *cluster,
        *(sys.executable, "-m", "bench.province", "--tvs-per-site", "2", "--phones", "6"),
        *("--tickets", "30", "--seconds", "10", "--kiosks", "3", "--serve-seconds", "0.2"),
        *("--tv-procs", "1", "--phone-procs", "1", "--settle-seconds", "2"),
        timeout=300,
    )
    assert result["nginx"] and result["server_processes"] == 2
    assert result["load"]["sites"] == 3 and result["load"]["counters"] == 60
    assert result["clients"]["joined"] == 12 and result["clients"]["failed"] == 0
    assert result["phone_tickets"]["taken"] == 6 and result["hour"]["tickets_taken"] == 30
    tvs = result["tvs"]
    assert result["hour"]["calls"] >= 3 and tvs["tvs_joined"] == 6 and tvs["sites_with_tvs"] == 3
    assert tvs["receipts_on_own_site"] == tvs["receipts_expected"] == 2 * result["hour"]["calls"]
    assert tvs["calls_missing_on_some_own_tv"] == 0 and tvs["receipts_on_another_sites_tv"] == 0
    assert tvs["tvs_dropped_during_run"] == 0
    phones = result["phones"]
    assert phones["saw_their_call"] == phones["whose_ticket_was_called"] >= 1
    database = result["database"]
    assert database["tickets"] == 36 and database["duplicate_numbers"] == 0
    assert database["tickets_of_another_sites_kiosk"] == 0
    memory = result["memory_mb"]["all_connected"]
    assert len([k for k in memory if k.startswith("app ")]) == 2 and all(memory.values())


def test_refuses_a_server_elsewhere():
    assert refuses_elsewhere("-m", "bench.province", "--database-url", "sqlite://")
