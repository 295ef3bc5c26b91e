"""antre backup: a consistent copy taken while tickets keep being issued, then restored.

Every ticket acknowledged (committed) before the backup began must be in the restored copy, on
SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore, as docs/deployment.md says).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from shared import queue
from shared.cli import main
from shared.db import make_engine, make_session_factory
from shared.models import Service, Ticket
from shared.seed import seed_demo
from tests.shared.concurrency import NOON_JAKARTA


class Issuer(threading.Thread):
    """A kiosk that keeps issuing tickets; ``acknowledged`` holds each committed ticket's id."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)
        with self.factory() as session:
            self.service_id = session.execute(select(Service.id).order_by(Service.id)).scalar()
        self.acknowledged: list[int] = []
        self.stop = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with self.factory() as session:
                    ticket = queue.issue_ticket(session, self.service_id, now=NOON_JAKARTA)
                    session.commit()
                    self.acknowledged.append(ticket.id)
        except Exception as error:  # reported by the test
            self.errors.append(repr(error))

    def wait_for(self, count: int) -> None:
        while len(self.acknowledged) < count and not self.errors:
            self.stop.wait(0.01)

    def finish(self) -> None:
        self.stop.set()
        self.join(60)
        self.engine.dispose()
        assert not self.errors


def backup_while_issuing(url: str, destination) -> tuple[list[int], int, str]:
    """(ids acknowledged before the backup began, tickets issued in all, the command's output)."""
    issuer = Issuer(url)
    issuer.start()
    try:
        issuer.wait_for(20)
        before = list(issuer.acknowledged)
        result = CliRunner().invoke(
            main, ["backup", str(destination)], env={"ANTRE_DATABASE_URL": url}
        )
        issuer.wait_for(len(before) + 20)  # the server kept writing during and after the copy
    finally:
        issuer.finish()
    assert result.exit_code == 0, result.output
    return before, len(issuer.acknowledged), result.output


def ticket_ids(url: str) -> set[int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        ids = set(session.execute(select(Ticket.id)).scalars())
    engine.dispose()
    return ids


def test_sqlite_backup_while_issuing_then_restore(demo_db_url, tmp_path):
    (tmp_path / "backups").mkdir()
    before, issued, output = backup_while_issuing(demo_db_url, tmp_path / "backups")
    backups = list((tmp_path / "backups").glob("antre-*.db"))
    assert len(backups) == 1 and str(backups[0]) in output
    # The restore of docs/deployment.md: server stopped, the copy put in place of the database
    # (its -wal and -shm removed).
    live = make_url(demo_db_url).database
    for leftover in (f"{live}-wal", f"{live}-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    shutil.copy(backups[0], live)
    restored = ticket_ids(demo_db_url)
    assert set(before) <= restored
    assert len(restored) < issued  # a snapshot of one moment, not the final state
    # An existing file is never overwritten.
    again = CliRunner().invoke(
        main, ["backup", str(backups[0])], env={"ANTRE_DATABASE_URL": demo_db_url}
    )
    assert again.exit_code != 0 and "exists already" in again.output


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="no pg_restore")
def test_postgres_backup_while_issuing_then_restore(pg_url, tmp_path):
    engine = make_engine(pg_url)
    with make_session_factory(engine)() as session:
        seed_demo(session)
        session.commit()
    engine.dispose()
    dump = tmp_path / "antre.dump"
    before, issued, _ = backup_while_issuing(pg_url, dump)
    url = make_url(pg_url)
    schema = url.query["options"].split("=", 1)[1]
    # The restore of docs/deployment.md: into an empty database (here: the schema dropped).
    admin = create_engine(url.difference_update_query(["options"]))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
    env = dict(os.environ, PGHOST=url.host, PGPORT=str(url.port), PGUSER=url.username)
    if url.password:
        env["PGPASSWORD"] = url.password
    subprocess.run(
        ["pg_restore", "--no-owner", f"--dbname={url.database}", str(dump)],
        env=env,
        check=True,
        capture_output=True,
    )
    restored = ticket_ids(pg_url)
    assert set(before) <= restored
    assert len(restored) < issued


def test_daily_backup_keeps_one_copy_a_day_and_the_newest_few(demo_db_url, tmp_path):
    from datetime import date, timedelta

    from shared.backup import daily_backup

    folder = tmp_path / "backups"
    first = date(2026, 11, 20)
    for offset in range(5):
        written = daily_backup(demo_db_url, folder, first + timedelta(days=offset), keep=3)
        assert written == folder / f"antre-{first + timedelta(days=offset)}.db"
    assert daily_backup(demo_db_url, folder, first + timedelta(days=4), keep=3) is None  # done
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == ["antre-2026-11-22.db", "antre-2026-11-23.db", "antre-2026-11-24.db"]
    assert daily_backup(demo_db_url, folder, date(2026, 11, 25), keep=0) is None  # switched off


def test_the_embedded_server_copies_the_database_at_start(app, monkeypatch):
    """run.py's housekeeping: the first round (at start, then hourly) takes the day's copy."""
    from pathlib import Path

    from shared import timeutil
    from shared.web import housekeeping, socketio_of

    code = a_ticket(app)
    slept, forever = [], threading.Event()

    def sleep(seconds):  # the hour between rounds: note it, and never wake (a daemon thread)
        slept.append(seconds)
        forever.wait()

    monkeypatch.setattr(socketio_of(app), "sleep", sleep)
    housekeeping.start(app)
    for _ in range(400):  # until the first round is over (it runs in the background)
        if slept:
            break
        threading.Event().wait(0.05)
    today = timeutil.business_date(timeutil.now_utc(), "Asia/Jakarta")
    copy = Path(app.config["ANTRE"].instance_path) / "backups" / f"antre-{today}.db"
    engine = make_engine(f"sqlite:///{copy}")
    with make_session_factory(engine)() as session:
        assert session.execute(select(Ticket.code).where(Ticket.code == code)).scalar() == code
    engine.dispose()


def a_ticket(app) -> str:
    from shared.web.database import database

    with database(app).session_factory() as session:
        service_id = session.execute(select(Service.id).order_by(Service.id)).scalar()
        code = queue.issue_ticket(session, service_id).code
        session.commit()
    return code
