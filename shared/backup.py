"""``antre backup``: a consistent copy of the database, taken while the server keeps running.

SQLite goes through its online backup API: one step, under one read transaction, so the copy is
the database as of one commit, and WAL mode lets the server keep writing meanwhile. PostgreSQL
goes through ``pg_dump`` (one repeatable-read snapshot), in its custom format for ``pg_restore``.
How to restore either: docs/deployment.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    pass


def backup_database(database_url: str, destination: str | Path) -> Path:
    """Copy the database at ``database_url`` to ``destination`` and return the file written.

    ``destination`` may be a folder (a file named after the time is made in it) or a new file;
    an existing file is never overwritten.
    """
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _backup_sqlite(url, _target(destination, ".db"))
    if backend == "postgresql":
        return _backup_postgres(url, _target(destination, ".dump"))
    raise BackupError(f"no backup for {backend} databases")


def _target(destination: str | Path, suffix: str) -> Path:
    path = Path(destination)
    if path.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        path = path / f"antre-{stamp}{suffix}"
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new name")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _backup_sqlite(url: URL, target: Path) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    source_path = Path(url.database)
    if not source_path.is_file():
        raise BackupError(f"no database at {source_path}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        # pages=-1: the whole database in one step, so no writer can make it restart halfway.
        source.backup(copy, pages=-1)
        # A standalone file: no -wal beside it to forget when it is copied back.
        copy.execute("PRAGMA journal_mode=DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("the copy failed its integrity check")
    finally:
        copy.close()
        source.close()
    os.replace(partial, target)
    return target


def _libpq_environment(url: URL) -> tuple[dict[str, str], list[str]]:
    """The connection as libpq variables (the password stays out of the process list)."""
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[name] = str(value)
    schemas = []
    options = url.query.get("options", "")
    for part in options.split() if isinstance(options, str) else []:
        if part.startswith("-csearch_path="):
            schemas = [s.strip() for s in part.split("=", 1)[1].split(",") if s.strip()]
    return env, schemas


def _backup_postgres(url: URL, target: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt install postgresql-client)")
    env, schemas = _libpq_environment(url)
    command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}.partial"]
    command += [f"--schema={schema}" for schema in schemas]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        Path(f"{target}.partial").unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    os.replace(f"{target}.partial", target)
    return target


def daily_backup(database_url: str, folder: str | Path, day: date, keep: int) -> Path | None:
    """The embedded server's own copy: one per business day (the first check of the day takes
    it), the newest ``keep`` kept. SQLite only; ``keep`` 0 switches it off. Returns the new file.
    """
    if keep <= 0 or make_url(database_url).get_backend_name() != "sqlite":
        return None
    folder = Path(folder)
    target = folder / f"antre-{day.isoformat()}.db"
    if target.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    written = backup_database(database_url, target)
    for old in sorted(folder.glob("antre-????-??-??.db"))[:-keep]:
        old.unlink()
    return written
