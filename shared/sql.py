"""The one atomic counter primitive behind ticket numbers and event sequence numbers."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def increment(session: Session, table: Table, keys: dict, column: str, by: int = 1) -> int:
    """``INSERT … ON CONFLICT DO UPDATE SET column = column + by RETURNING column``.

    Atomic on SQLite (inside BEGIN IMMEDIATE) and on PostgreSQL (the conflicting row is locked
    until commit), so two transactions never get the same value, and a rollback gives it back.
    """
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    col = table.c[column]
    stmt = (
        insert(table)
        .values(**keys, **{column: by})
        .on_conflict_do_update(index_elements=list(keys), set_={column: col + by})
        .returning(col)
    )
    return session.execute(stmt).scalar_one()


def increment_many(
    session: Session, table: Table, key: str, column: str, amounts: dict[str, int]
) -> dict[str, int]:
    """Several counter rows advanced by one statement; returns each row's new value.

    Keys must be distinct (PostgreSQL refuses one statement touching a row twice).
    """
    if not amounts:
        return {}
    dialect = session.get_bind().dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[dialect]
    stmt = insert(table)
    col = table.c[column]
    stmt = stmt.on_conflict_do_update(
        index_elements=[key], set_={column: col + stmt.excluded[column]}
    ).returning(table.c[key], col)
    # Parameters as a list: SQLAlchemy's "insertmanyvalues" still sends one statement, and the
    # statement stays the same for any number of rows, so it is compiled once per process (a
    # VALUES list built into the statement was compiled again by every commit).
    rows = [{key: k, column: by} for k, by in amounts.items()]
    return dict(session.execute(stmt, rows).all())
