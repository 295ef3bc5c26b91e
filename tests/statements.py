"""Counting the SQL statements an engine runs: how the tests keep the hot paths from growing."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def counted(engine):
    """Yields the list of statements ``engine`` runs inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def executed_on(engine):
    """Yields every statement ``engine`` is given inside the block (through a session or on a
    connection, the ORM's own included), as (statement object, its SQL)."""
    seen: list[tuple[object, str]] = []

    def note(_conn, statement, *_rest) -> None:
        seen.append((statement, str(statement)))

    event.listen(engine, "before_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_execute", note)
