"""bench/cluster.py: two kiosk processes under gunicorn on a database of its own, take_tickets
spread over both; the database is dropped afterwards."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.bench.runs import run_script
from tests.conftest import POSTGRES_ENV

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_take_tickets_on_two_kiosk_processes():
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to create a database on")
    url = make_url(base)
    pg = f"{url.host}:{url.port or 5432}:{url.username}"
    run = run_script(
        *("-m", "bench.cluster", "--app", "kiosk", "--processes", "2", "--pg", pg, "--"),
        *(sys.executable, "-m", "bench.take_tickets", "--kiosks", "4", "--tickets", "30"),
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(run.stdout[run.stdout.index("{") :])
    assert result["tickets"] == 30 and result["duplicate_numbers"] == 0
    assert len(result["tickets_per_url"]) == 2 and result["failures"] == {}
    listed = subprocess.run(
        ["psql", "-h", url.host, "-p", str(url.port or 5432), "-U", url.username, "-lqt"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name = re.search(r"database (bench_\w+)", run.stderr)[1]
    assert name not in listed  # dropped again
