"""The embedded server's report job: run.py's housekeeping starts ``antre reports work`` as a
child process, and it folds new activity into the roll-ups by itself."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from shared import queue
from shared.models import ReportState, TicketLog
from shared.queue.sites import default_site
from shared.reports.rollup import STATE
from shared.web import housekeeping
from shared.web.database import database

WAIT_SECONDS = 120  # a deadline for a state to be reached, not a measured time


def folded(factory) -> bool:
    """Whether the roll-ups have read every log entry written so far."""
    with factory() as session:
        newest = session.execute(select(func.max(TicketLog.id))).scalar() or 0
        state = session.execute(select(ReportState).where(ReportState.name == STATE)).scalar()
        return state is not None and state.last_log_id >= newest > 0


def wait_until_folded(factory, child) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not folded(factory):
        assert child.poll() is None, "the report job died"
        assert time.monotonic() < deadline, "the report job never caught up"
        time.sleep(0.2)


@pytest.fixture
def job(app):
    child = housekeeping.spawn_report_job(app, interval=1)
    yield child
    child.terminate()
    child.wait(timeout=30)


def test_the_job_refreshes_after_activity(app, job):
    factory = database(app).session_factory
    with factory() as session:
        service_id = default_site(session).agencies[0].services[0].id
        queue.issue_ticket(session, service_id, check_availability=False)
        session.commit()
    wait_until_folded(factory, job)
    with factory() as session:
        queue.issue_ticket(session, service_id, check_availability=False)
        session.commit()
    wait_until_folded(factory, job)  # the next round, without any report request
    job.terminate()
    assert job.wait(timeout=30) == 0  # SIGTERM ends it cleanly
