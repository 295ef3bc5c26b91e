"""The UTC column type: on SQLite its one-step text is SQLAlchemy's own, on PostgreSQL it is
SQLAlchemy's own path; either way an aware time goes in and the same instant comes out in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import DateTime

from shared.models.base import UTCDateTime

WIB, WIT = timezone(timedelta(hours=7)), timezone(timedelta(hours=9))
TIMES = [
    datetime(2026, 12, 7, 13, 39, 2, 97538, tzinfo=UTC),
    datetime(2026, 12, 7, 13, 39, 2, tzinfo=UTC),  # no microseconds: still six digits
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2027, 1, 1, 6, 30, tzinfo=WIB),  # the day before in UTC
    datetime(2026, 3, 1, 8, 0, 0, 5, tzinfo=WIT),
    datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
]


def _sqlalchemy_text(value: datetime) -> str:
    """What SQLAlchemy's SQLite DATETIME writes for the time in UTC."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return DateTime()._cached_bind_processor(sqlite.dialect())(naive)


@pytest.mark.parametrize("value", TIMES)
def test_the_sqlite_text_is_sqlalchemys(value):
    written = UTCDateTime()._cached_bind_processor(sqlite.dialect())(value)
    assert written == _sqlalchemy_text(value)
    read = UTCDateTime()._cached_result_processor(sqlite.dialect(), None)(written)
    assert read == value and read.tzinfo is UTC


def test_naive_times_and_other_values_are_refused():
    bind = UTCDateTime()._cached_bind_processor(sqlite.dialect())
    with pytest.raises(ValueError):
        bind(datetime(2026, 12, 7, 13, 0))
    with pytest.raises(TypeError):
        bind("2026-12-07 13:00:00")
    assert bind(None) is None


def _table():
    return Table(
        "moment", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_times_round_trip_and_sort_as_instants(database, tmp_path, request):
    if database == "sqlite":
        url = f"sqlite:///{tmp_path / 'moments.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    table = _table()
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"at": value} for value in TIMES])
        back = connection.execute(select(table.c.at).order_by(table.c.at)).scalars().all()
        # Text that SQLite wrote some other way (a default, a migration) is read as well.
        if database == "sqlite":
            connection.execute(text("INSERT INTO moment (at) VALUES ('2026-12-07 13:00:00')"))
            plain = connection.execute(select(table.c.at).where(table.c.id == 7)).scalar_one()
            assert plain == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    engine.dispose()
    assert back == sorted(TIMES)
    assert all(value.tzinfo is not None and value.utcoffset() == timedelta(0) for value in back)
