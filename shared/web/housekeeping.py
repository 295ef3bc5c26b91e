"""Work a long-running server does on a schedule: purging personal data past retention,
(SQLite) a copy of the database once a business day, and the report roll-ups' refresher."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

from shared import timeutil
from shared.alerts.purge import purge_alert_data
from shared.backup import daily_backup
from shared.booking import purge_booking_data
from shared.health import purge_patient_identities
from shared.mobilejkn.purge import purge_jkn_data
from shared.queue.sites import default_site
from shared.web import socketio_of
from shared.web.database import database

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 3600
RESTART_SECONDS = 10
ROOT = Path(__file__).resolve().parents[2]


def purge_once(app: Flask) -> int:
    """One round: bookings' names and phones, and patient identities, past their retention."""
    with database(app).session_factory() as session:
        count = purge_booking_data(session)
        identities = purge_patient_identities(session)
        purge_jkn_data(session)
        alerts = purge_alert_data(session)
        session.commit()
    if identities:
        log.info("erased %d patient identities", identities)
    if alerts:
        log.info("purged personal data of %d alert subscriptions and messages", alerts)
    return count


def backup_once(app: Flask) -> Path | None:
    """Today's copy, if the day has none yet (the first round after midnight or after a start)."""
    config = app.config["ANTRE"]
    with database(app).session_factory() as session:
        # One copy per day of the installation's first site (the machine's own region).
        today = timeutil.business_date(timeutil.now_utc(), default_site(session).timezone)
    folder = Path(config.instance_path) / "backups"
    return daily_backup(config.database_url, folder, today, config.daily_backups)


def _loop(app: Flask) -> None:
    socketio = socketio_of(app)
    while True:
        try:
            count = purge_once(app)
            if count:
                log.info("purged personal data of %d bookings", count)
        except Exception:  # a failed round is retried next hour; the server keeps serving
            log.exception("purge failed")
        try:
            written = backup_once(app)
            if written:
                log.info("database copied to %s", written)
        except Exception:  # e.g. a full disk: logged, retried next hour
            log.exception("daily backup failed")
        socketio.sleep(INTERVAL_SECONDS)


def spawn_report_job(app: Flask, interval: float | None = None) -> subprocess.Popen:
    """``antre reports work`` as a child process: the roll-ups' reads and CPU stay out of this
    server's event loop, and it commits a day at a time (shared/reports/refresher.py)."""
    config = app.config["ANTRE"]
    interval = max(1.0, interval or config.reports_refresh_seconds)  # how stale a page may be
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": config.database_url,
        "ANTRE_SQLITE_SYNCHRONOUS": config.sqlite_synchronous,
    }
    command = [sys.executable, "-m", "shared.cli", "reports", "work"]
    command += ["--interval", str(interval), "--parent-pid", str(os.getpid())]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _report_job(app: Flask) -> None:
    socketio = socketio_of(app)
    while True:
        child = spawn_report_job(app)
        code = child.wait()  # cooperative under gevent (subprocess is patched)
        log.warning("report job ended (exit %s); restarted in %d s", code, RESTART_SECONDS)
        socketio.sleep(RESTART_SECONDS)


def start(app: Flask) -> None:
    """Run the purge (and the daily copy) now and every hour, in the server's own async mode;
    and the report job, kept running."""
    socketio_of(app).start_background_task(_loop, app)
    socketio_of(app).start_background_task(_report_job, app)
