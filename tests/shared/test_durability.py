"""SQLite's durability: FULL by default (an acknowledged ticket survives a power cut), NORMAL only
when asked for (ANTRE_SQLITE_SYNCHRONOUS)."""

from __future__ import annotations

import pytest

from shared.config import Config
from shared.db import make_engine

# PRAGMA synchronous answers with a number: 1 NORMAL, 2 FULL, 3 EXTRA.
LEVELS = {"NORMAL": 1, "FULL": 2, "EXTRA": 3}


def synchronous_of(engine) -> int:
    with engine.connect() as conn:
        level = conn.exec_driver_sql("PRAGMA synchronous").scalar_one()
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    engine.dispose()
    assert mode == "wal"
    return level


def test_the_embedded_default_syncs_every_commit(db_url):
    assert Config.from_env({}).sqlite_synchronous == "FULL"
    assert synchronous_of(make_engine(db_url)) == LEVELS["FULL"]


@pytest.mark.parametrize("level", ["normal", "FULL", "EXTRA"])
def test_the_level_is_configurable(db_url, level):
    config = Config.from_env({"ANTRE_SQLITE_SYNCHRONOUS": level, "ANTRE_DATABASE_URL": db_url})
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    assert synchronous_of(engine) == LEVELS[level.upper()]


def test_an_unknown_level_is_refused(db_url):
    with pytest.raises(ValueError, match="ANTRE_SQLITE_SYNCHRONOUS"):
        make_engine(db_url, sqlite_synchronous="OFF")


def test_the_running_app_uses_it(app):
    with app.app_context():
        from shared.web.database import get_session

        level = get_session().connection().exec_driver_sql("PRAGMA synchronous").scalar_one()
    assert level == LEVELS["FULL"]
