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
def executed(session_class):
    """Yields the statements given to ``Session.execute`` by the code inside the block (not the
    ORM's own: flushes, lazy loads of relationships), as (statement object, its SQL)."""
    seen: list[tuple[object, str]] = []

    def note(state) -> None:
        if not state.is_relationship_load:
            seen.append((state.statement, str(state.statement)))

    event.listen(session_class, "do_orm_execute", note)
    try:
        yield seen
    finally:
        event.remove(session_class, "do_orm_execute", note)
