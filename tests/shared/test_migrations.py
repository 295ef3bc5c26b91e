"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from shared.db import make_engine
from shared.models import Base


def _differences(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_sqlite_schema_matches_the_models(db_url):
    assert _differences(db_url) == []


def test_postgresql_schema_matches_the_models(pg_url):
    assert _differences(pg_url) == []


def _partial_in_models(dialect: str) -> dict[str, str | None]:
    """{index name: its condition's text or None} as the models declare them."""
    found = {}
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            where = index.dialect_options[dialect]._non_defaults.get("where")
            found[index.name] = None if where is None else str(where)
    return found


def _conditions(url: str, listing: str) -> dict[str, str | None]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(listing)).all()
    engine.dispose()
    return {
        name: (sql.split(" WHERE ", 1)[1] if " WHERE " in (sql or "") else None)
        for name, sql in rows
    }


def test_partial_indexes_are_migrated_as_the_models_declare_them(db_url, pg_url):
    """compare_metadata does not look at an index's WHERE: a waiting ticket must take no entry in
    the indexes of what it has not got yet (a call, a finish, a counter, an origin)."""
    sqlite_has = _conditions(db_url, "SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    pg_has = _conditions(
        pg_url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
    )
    for dialect, has in (("sqlite", sqlite_has), ("postgresql", pg_has)):
        declared = _partial_in_models(dialect)
        partial = {name: where for name, where in declared.items() if where is not None}
        assert set(partial) >= {
            "ix_ticket_calls",
            "ix_ticket_finished",
            "ix_ticket_counter_status",
            "ix_ticket_origin",
            "ix_visit_origin",
            "ix_ticket_log_origin",
            "ix_survey_response_origin",
        }
        for name, where in declared.items():
            if where is None:
                assert has[name] is None, (dialect, name)
            else:
                column = where.split()[0]
                assert has[name] is not None and column in has[name], (dialect, name, has[name])
                assert "NOT NULL" in has[name].upper(), (dialect, name, has[name])


def test_event_streams_are_one_btree_on_sqlite(db_url):
    """Every commit upserts its rooms' sequence numbers: keyed by name, with no rowid table and
    separate index of the name to write beside it."""
    engine = make_engine(db_url)
    with engine.connect() as conn:
        objects = conn.execute(
            text("SELECT type, sql FROM sqlite_master WHERE tbl_name = 'event_stream'")
        ).all()
    engine.dispose()
    assert [kind for kind, _sql in objects] == ["table"]
    assert objects[0][1].rstrip().endswith("WITHOUT ROWID")
