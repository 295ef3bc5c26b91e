"""Alembic environment: the URL comes from the caller (shared.migrate) or ANTRE_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from shared.config import Config
from shared.db import make_engine
from shared.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or Config.from_env().database_url


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch migration rebuilds a table (copy, drop, rename); with foreign keys on, dropping
        # a table that others reference fails (agency: services, counters, staff). The pragma
        # only takes effect outside a transaction, so it is set on the raw connection first.
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:  # rolls the migration back
                raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    if sqlite:
        _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")


def _sqlite_pragma(connection, statement: str) -> None:
    connection.connection.dbapi_connection.execute(statement)


run()
