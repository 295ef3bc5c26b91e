"""The one atomic counter primitive behind ticket numbers and event sequence numbers, and the
hot path's plain reads and writes on the session's own connection."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import Executable, Result, Table, bindparam, false
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared import sqlite_direct

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# session.info: this transaction has written (a flush, an ORM statement, or :func:`plain_write`).
# Printing ends a transaction that only read before it waits on a printer (printing/jobs.py).
WROTE = "antre.wrote"


@functools.cache
def _upsert(dialect: str, table: Table, keys: tuple[str, ...], column: str, returning: tuple):
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET column = column + excluded.column RETURNING``,
    built once per shape: the rows and amounts are bound at each execution, so the statement is
    neither built nor given a cache key again (building cost more than running it)."""
    stmt = _INSERTS[dialect](table)
    col = table.c[column]
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={column: col + stmt.excluded[column]}
    )
    return stmt.returning(*(table.c[name] for name in returning))


def increment(session: Session, table: Table, keys: dict, column: str, by: int = 1) -> int:
    """``INSERT … ON CONFLICT DO UPDATE SET column = column + by RETURNING column``.

    Atomic on SQLite (inside BEGIN IMMEDIATE) and on PostgreSQL (the conflicting row is locked
    until commit), so two transactions never get the same value, and a rollback gives it back.
    """
    dialect = session.get_bind().dialect.name
    stmt = _upsert(dialect, table, tuple(keys), column, (column,))
    return plain_write(session, stmt, {**keys, column: by}).scalar_one()


def increment_many(
    session: Session, table: Table, key: str, column: str, amounts: dict[str, int]
) -> dict[str, int]:
    """Several counter rows advanced by one statement; returns each row's new value.

    Keys must be distinct (PostgreSQL refuses one statement touching a row twice).
    """
    if not amounts:
        return {}
    dialect = session.get_bind().dialect.name
    stmt = _upsert_rows(dialect, table, key, column, len(amounts))
    params = {}
    for n, (k, by) in enumerate(amounts.items()):
        params[f"key_{n}"], params[f"by_{n}"] = k, by
    return dict(plain_write(session, stmt, params).all())


@functools.lru_cache(maxsize=64)
def _upsert_rows(dialect: str, table: Table, key: str, column: str, count: int):
    """:func:`increment_many`'s statement for ``count`` rows, built once per count: its rows are
    parameters (a commit advances a handful of event streams), so it is neither built nor
    compiled again, and it runs on SQLite's own cursor (shared/sqlite_direct.py), which a list
    of parameter sets would not."""
    rows = [
        {
            key: bindparam(f"key_{n}", type_=table.c[key].type),
            column: bindparam(f"by_{n}", type_=table.c[column].type),
        }
        for n in range(count)
    ]
    stmt = _INSERTS[dialect](table).values(rows)
    col = table.c[column]
    added = {column: col + stmt.excluded[column]}
    stmt = stmt.on_conflict_do_update(index_elements=[key], set_=added)
    return stmt.returning(table.c[key], col)


def plain_rows(session: Session, stmt: Executable, params: dict | None = None) -> Result:
    """The rows of a read that builds no ORM objects (counts, ids, a queue's light rows), run on
    the session's own connection: the same rows in the same transaction as ``session.execute``
    gives, without the ORM's handling of a statement around them, which cost more than the read
    (docs/benchmarks.md, "Issue 18, twelfth pass"). Flushes first, as ``session.execute`` would."""
    if session.autoflush:
        session.flush()
    return _run(session, stmt, params)


def plain_write(session: Session, stmt: Executable, params: dict | list | None = None):
    """A Core INSERT, UPDATE or upsert run on the session's own connection, in its transaction:
    the ORM's handling of a statement cost a hot-path write more than the write (docs/
    benchmarks.md, "thirteenth pass"). Noted as a write (:data:`WROTE`); no flush first, as
    ``session.execute`` makes none for a statement on a table."""
    session.info[WROTE] = True
    return _run(session, stmt, params)


def _run(session: Session, stmt: Executable, params):
    """On SQLite's own cursor where that gives the same (shared/sqlite_direct.py), else through
    SQLAlchemy's connection."""
    connection = session.connection()
    direct = sqlite_direct.execute(connection, stmt, params)
    return connection.execute(stmt, params) if direct is None else direct


def in_list(column, name: str, count: int):
    """``column IN (:name_0, …)`` with ``count`` parameters, for a statement built once per
    count (:func:`list_params` binds them). An expanding parameter renders its list into the
    SQL anew at every execution, which cost a hot read about a third of its handling here
    (docs/benchmarks.md, "fourteenth pass"). For lists whose length takes few values (a site's
    counters, the services sharing one); a list as long as a queue's head keeps the expanding
    parameter, its statement built once."""
    if count == 0:
        return false()
    return column.in_([bindparam(f"{name}_{n}", type_=column.type) for n in range(count)])


def list_params(name: str, values: Iterable) -> dict:
    """The parameters of :func:`in_list` named ``name``, one per value."""
    return {f"{name}_{n}": value for n, value in enumerate(values)}


def in_values(column, values: Iterable):
    """``column IN (…)`` of values the statement holds (statuses), one parameter each. An ``IN``
    of a literal list is an expanding parameter, rendered into the SQL at every execution, and
    keeps a plain statement off SQLite's own cursor (shared/sqlite_direct.py)."""
    return column.in_([bindparam(None, value, type_=column.type, unique=True) for value in values])
