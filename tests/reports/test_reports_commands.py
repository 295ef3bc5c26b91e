"""``antre reports rebuild|work|status`` through click's CliRunner, on the test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from shared.config import PROJECT_ROOT
from shared.models import ReportDaily
from shared.queue.sites import default_site
from shared.reports import Scope, make_period, ticket_report
from shared.web.database import database
from tests.factories import Factory
from tests.reports.seeded_day import DAY, seed_day


@pytest.fixture
def seeded(app):
    factory = database(app).session_factory
    with factory() as session:
        maker = Factory(session)
        maker._mall = default_site(session)
        seed_day(session, maker)
        session.commit()
    return factory


def served(factory) -> int:
    with factory() as session:
        return ticket_report(session, make_period("day", DAY), Scope("mall")).counts["served"]


def test_rebuild_shows_progress_and_rebuilds_every_day(runner, seeded):
    assert "never built" in runner("reports", "status").output
    result = runner("reports", "rebuild", "--nice", "0")  # in this process: keep its priority
    assert result.exit_code == 0
    assert "rebuilding" in result.output  # click's progress bar (its label off a terminal)
    assert "roll-ups rebuilt: 1 day(s)" in result.output
    assert served(seeded) == 3
    with seeded() as session:
        session.add(
            ReportDaily(
                business_date=DAY,
                weekday=0,
                hour=3,
                agency_id=0,
                service_id=0,
                source="kiosk",
                issued=99,
            )
        )
        session.commit()
    runner("reports", "rebuild", "--nice", "0")  # a stray row (an older roll-up's) is replaced
    with seeded() as session:
        assert session.execute(select(ReportDaily).where(ReportDaily.issued == 99)).first() is None
    assert "up to date" in runner("reports", "status").output


def test_work_once_folds_in_the_log(runner, seeded):
    result = runner("reports", "work", "--once", "--nice", "0")
    assert result.exit_code == 0 and "roll-ups refreshed:" in result.output
    assert served(seeded) == 3
    assert "refreshed: 0 day(s)" in runner("reports", "work", "--once", "--nice", "0").output


def test_work_stops_by_itself_once_its_server_is_gone(demo_db_url):
    # The server that started the job passes its pid; a job whose parent is not (or no longer)
    # that process is an orphan and stops, even when the server died during the job's start-up.
    env = {**os.environ, "ANTRE_DATABASE_URL": demo_db_url}
    command = [sys.executable, "-m", "shared.cli", "reports", "work", "--interval", "3600"]
    gone = subprocess.Popen([*command, "--parent-pid", "1"], env=env, cwd=PROJECT_ROOT)
    assert gone.wait(timeout=60) == 0  # bounded, not timed: it must end at all


def _stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command's name: field N of proc(5) is [N - 3]."""
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()


def _niceness(pid: int) -> int:
    return int(_stat(pid)[16])  # field 19


def _policy(pid: int) -> int:
    return int(_stat(pid)[38])  # field 41


def test_the_job_yields_the_cpu_to_the_server(demo_db_url):
    # On a 2-core machine a rebuild competed with the kiosks' requests (docs/benchmarks.md):
    # the job and the rebuild run below the server's priority.
    env = {**os.environ, "ANTRE_DATABASE_URL": demo_db_url}
    command = [sys.executable, "-m", "shared.cli", "reports", "work", "--interval", "3600"]
    job = subprocess.Popen(
        [*command, "--parent-pid", str(os.getpid())],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "refreshing the roll-ups" in job.stdout.readline()  # past its start-up
        assert _niceness(job.pid) == min(19, _niceness(os.getpid()) + 10)
        assert _policy(job.pid) == os.SCHED_IDLE  # only CPU time nothing else wants
    finally:
        job.terminate()
        job.wait(timeout=60)
