"""Engines and sessions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from shared import events, sqlite_direct


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return monkey.is_module_patched("threading")


# PRAGMA synchronous in WAL mode: FULL syncs the WAL at every commit, so a ticket the kiosk was
# told about survives a power cut; NORMAL syncs only at checkpoints (faster, but the last
# commits before a power cut can vanish). EXTRA also syncs the directory. See docs/benchmarks.md.
SQLITE_SYNCHRONOUS = ("FULL", "EXTRA", "NORMAL")


READ_ONLY = "antre_read_only"


def begin_reading(session: Session) -> None:
    """Start ``session``'s transaction as one that only reads: on SQLite it holds no write lock,
    so a long read (a report roll-up's input) never makes kiosks wait. Call before anything else
    in the transaction; a write in it would fail on SQLite."""
    session.connection(execution_options={READ_ONLY: True})


def _prepare_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        # pysqlite's own transaction handling is switched off so that we can say BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # Take the write lock up front: a deferred transaction that reads and then writes cannot be
        # retried by the busy timeout when another writer got in between. A transaction that
        # only reads (begin_reading) takes none: in WAL mode it never waits for writers.
        reading = connection.get_execution_options().get(READ_ONLY)
        statement = "BEGIN DEFERRED" if reading else "BEGIN IMMEDIATE"
        if not sqlite_direct.begin(connection, statement):  # the cursor's own, as a plain read
            connection.exec_driver_sql(statement)


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", **kwargs) -> Engine:
    """An engine with the settings Antre relies on for atomic numbering and calling."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        synchronous = sqlite_synchronous.upper()
        if synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"ANTRE_SQLITE_SYNCHRONOUS must be one of {SQLITE_SYNCHRONOUS}")
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options: dict = {
            "connect_args": {"check_same_thread": False, "timeout": 30},
            # Statement parameters may be personal data (a NIK, a phone number): never in a
            # logged SQL line (echo, DEBUG) nor in the text of a database error.
            "hide_parameters": True,
        }
        if _gevent_patched():
            # SQLite's busy wait blocks the whole gevent hub; one connection per process makes
            # greenlets queue cooperatively in the pool instead.
            options.update(pool_size=1, max_overflow=0, pool_timeout=60)
        options.update(kwargs)
        engine = create_engine(url, **options)
        _prepare_sqlite(engine, synchronous)
        return engine
    # pre-ping: survive a database restart; connect_timeout: an unreachable host fails a request
    # cleanly (503) instead of hanging it.
    options = {
        "hide_parameters": True,  # as above
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 20,
        "pool_timeout": 10,
        "connect_args": {"connect_timeout": 5},
    }
    options.update(kwargs)
    return create_engine(url, **options)


def make_session_factory(engine: Engine, publisher: events.Publisher | None = None) -> sessionmaker:
    """Sessions whose committed events go to ``publisher`` (see shared.events), with every hook of
    shared.session_hooks."""
    # Imported here: the hooks reach the queue rules, which import this module.
    from shared import session_hooks

    factory = sessionmaker(bind=engine, expire_on_commit=False, class_=Session)
    factory.configure(info={events.PUBLISHER_KEY: publisher or events.NullPublisher()})
    return session_hooks.install(factory)


def is_postgres(session_or_engine) -> bool:
    bind = (
        session_or_engine.get_bind()
        if isinstance(session_or_engine, Session)
        else session_or_engine
    )
    return bind.dialect.name == "postgresql"
