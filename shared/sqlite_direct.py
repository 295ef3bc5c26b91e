"""The hot path's plain statements run on SQLite's own cursor, compiled once.

A plain read or write (``sql.plain_rows``, ``sql.plain_write``) on SQLAlchemy's connection
spends three to four times the statement's own run in SQLAlchemy's handling of it: the compiled
cache's key, an execution context, the parameters' processing, a cursor result (in a loop here:
47 µs against 13 µs for a read of one ticket by id, docs/benchmarks.md, "fifteenth pass"). Here
each statement is compiled once per set of parameter names, exactly as SQLAlchemy compiles it
for the execution (its SQL, its parameters' order and bind processors, the Python-side defaults
of the columns not given, its columns' result processors), then run on the session's own
sqlite3 connection, inside its transaction. The rows come back as SQLAlchemy's own ``Result``,
with the same keys, types and methods.

A list in an expanding ``IN`` is written into the SQL at each execution as SQLAlchemy writes
it, one placeholder a value. SQLAlchemy runs the statement itself whenever this would not be
the same: another database, a list of parameter sets, a value written into the SQL as a
literal, columns matched by name, a default that is SQL, and whenever something
listens to the engine's statements (the tests that count them, the benchmarks that record
them), so that those see every statement. An error is raised as SQLAlchemy raises it
(``sqlalchemy.exc.DBAPIError``'s subclass), its parameters hidden as the engine hides them.
Every transaction's ``BEGIN`` (shared/db.py) runs the same way.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Executable, exc
from sqlalchemy.engine.result import IteratorResult, Result, SimpleResultMetaData


@dataclass(frozen=True)
class _Prepared:
    sql: str
    # (parameter name, its bind processor or None, the value the statement holds for it, and
    # for a list written into the SQL at each execution, what SQLAlchemy writes for an empty
    # one: else None)
    binds: tuple[tuple[str, Any, Any, str | None], ...]
    # {parameter name: the column's Python-side default}: an INSERT's columns not given (an
    # UPDATE's onupdate), computed at each execution as SQLAlchemy computes them
    defaults: dict[str, Any]
    # Without a list in the SQL: each parameter once, (name, bind processor or None, the value
    # the statement holds), and which of them each placeholder takes (None: each once, in
    # order). A heads statement names the day in each of its 15 ranges: processed once.
    scalars: tuple[tuple[str, Any, Any], ...] | None
    places: tuple[int, ...] | None
    converters: tuple[tuple[int, Any], ...]  # (column index, result processor) where there is one
    metadata: SimpleResultMetaData


class _DefaultContext:
    """What a Python-side default that takes SQLAlchemy's context may ask of it."""

    def __init__(self, params: dict) -> None:
        self.current_parameters = params

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict:
        return self.current_parameters


def _default_value(default, params: dict):
    if default.is_scalar:
        return default.arg
    return default.arg(_DefaultContext(params))  # a callable: SQLAlchemy wraps one without one


@functools.lru_cache(maxsize=1024)
def _prepare(stmt: Executable, names: tuple[str, ...], dialect) -> _Prepared | None:
    """The statement compiled as ``Connection.execute`` compiles it for these parameter names
    (an INSERT's or UPDATE's columns are the names given); None: SQLAlchemy must run it."""
    compiled = stmt.compile(dialect=dialect, column_keys=list(names))
    try:
        order = compiled.positiontup
        binds = compiled.binds
        processors = compiled._bind_processors
        columns = compiled._result_columns
        ordered = compiled._ordered_columns and not compiled._loose_column_name_matching
        defaults = {c.key: c.default for c in compiled.insert_prefetch}
        defaults |= {c.key: c.onupdate for c in compiled.update_prefetch}
        literal = compiled.literal_execute_params or any(
            binds[name].literal_execute or binds[name].type._is_tuple_type for name in order or ()
        )
        empty = {
            name: compiled.visit_empty_set_op_expr([binds[name].type], binds[name].expand_op)
            for name in order or ()
            if binds[name].expanding
        }
    except AttributeError:  # another SQLAlchemy than the one this was written against
        return None
    if order is None or not ordered or literal or not defaults.keys() <= set(order):
        return None
    if not all(d.is_scalar or d.is_callable for d in defaults.values()):
        return None
    results = (c.type._cached_result_processor(dialect, None) for c in columns)
    distinct = list(dict.fromkeys(order))
    return _Prepared(
        sql=compiled.string,
        binds=tuple(
            (name, processors.get(name), binds[name].effective_value, empty.get(name))
            for name in order
        ),
        defaults=defaults,
        scalars=None
        if empty
        else tuple((name, processors.get(name), binds[name].effective_value) for name in distinct),
        places=None if distinct == list(order) else tuple(map(distinct.index, order)),
        converters=tuple((index, p) for index, p in enumerate(results) if p is not None),
        metadata=SimpleResultMetaData([c.keyname for c in columns]),
    )


def _values(prepared: _Prepared, params: dict) -> tuple[str, list]:
    """The SQL to run and its placeholders' values, each processed as SQLAlchemy binds it."""
    if prepared.scalars is not None:
        values = []
        for name, process, held in prepared.scalars:
            value = params.get(name, held)
            values.append(value if process is None else process(value))
        places = prepared.places
        return prepared.sql, values if places is None else [values[i] for i in places]
    sql, values = prepared.sql, []
    for name, process, held, empty in prepared.binds:
        value = params.get(name, held)
        if empty is None:
            values.append(value if process is None else process(value))
            continue
        # Written into the SQL as SQLAlchemy writes it: one placeholder a value, in its place.
        listed = ", ".join("?" * len(value)) if value else empty
        sql = sql.replace(f"__[POSTCOMPILE_{name}]", listed, 1)
        values += value if process is None else [process(v) for v in value]
    return sql, values


def _converted(rows: list, converters: tuple[tuple[int, Any], ...]) -> list:
    """The rows with each column that has a result processor run through it (only those)."""
    done = []
    for row in rows:
        row = list(row)
        for index, process in converters:
            row[index] = process(row[index])
        done.append(tuple(row))
    return done


def _listened(connection: Connection) -> bool:
    dispatch = connection.dispatch
    return bool(dispatch.before_execute or dispatch.before_cursor_execute)


def execute(connection: Connection, stmt: Executable, params: Any) -> Result | None:
    """The statement's result, run on SQLite's own cursor; None: run it through SQLAlchemy."""
    if connection.dialect.name != "sqlite" or isinstance(params, list):
        return None
    params = params or {}
    prepared = _prepare(stmt, tuple(sorted(params)), connection.dialect)
    if prepared is None or _listened(connection):
        return None
    if prepared.defaults:
        missing = prepared.defaults.keys() - params.keys()
        params = params | {key: _default_value(prepared.defaults[key], params) for key in missing}
    sql, values = _values(prepared, params)
    try:
        rows = connection.connection.driver_connection.execute(sql, values).fetchall()
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(
            sql, values, error, sqlite3.Error, hide_parameters=True
        ) from error
    if prepared.converters:
        rows = _converted(rows, prepared.converters)
    return IteratorResult(prepared.metadata, iter(rows))


def begin(connection: Connection, statement: str) -> bool:
    """Run ``BEGIN …`` (shared/db.py) on SQLite's own connection; False: nothing was run, as
    something listens to the engine's statements (they see it run by SQLAlchemy instead)."""
    if _listened(connection):
        return False
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(statement, (), error, sqlite3.Error) from error
    return True
