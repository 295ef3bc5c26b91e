"""bench/take_tickets.py against two real server processes sharing one database: the kiosks are
shared out over both URLs and no number is given twice; bench/http_floor.py beside it; counts,
not timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.servers import ROOT, running_server

pytestmark = pytest.mark.slow


def take(*urls: str, tickets: int = 40) -> dict:
    command = [sys.executable, "-m", "bench.take_tickets"]
    for url in urls:
        command += ["--url", url]
    run = subprocess.run(
        command + ["--kiosks", "4", "--tickets", str(tickets), "--max-seconds", "120"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(run.stdout)


def test_two_urls_share_the_kiosks(tmp_path):
    db = f"sqlite:///{tmp_path / 'antre.db'}"
    env = {"ANTRE_INSTANCE_PATH": str(tmp_path / "instance")}
    with (
        running_server(db, log_path=tmp_path / "one.log", **env) as (one, _),
        running_server(db, log_path=tmp_path / "two.log", **env) as (two, _),
    ):
        both = take(one, two)
        alone = take(one, tickets=10)  # the old usage: one --url
        floor = subprocess.run(
            [sys.executable, "-m", "bench.http_floor", "--url", one, "--threads", "3"]
            + ["--requests", "30"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert both["tickets"] == 40 and both["failures"] == {} and both["duplicate_numbers"] == 0
    # Kiosks take from one shared count, so each URL's share is about half, not exactly.
    assert set(both["tickets_per_url"]) == {one, two} and min(both["tickets_per_url"].values()) > 0
    assert alone["url"] == one and alone["tickets"] == 10 and alone["duplicate_numbers"] == 0
    # The load generator's floor (bench/http_floor.py): a static file, every request answered.
    assert floor.returncode == 0, floor.stderr[-3000:]
    fetched = json.loads(floor.stdout)
    assert fetched["latency"]["count"] == 30 and fetched["failures"] == 0
