"""Alembic, driven from code: ``antre db upgrade`` and the embedded default's start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.config import PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

# Alembic is imported where it is used: a process that never migrates (a display, kiosk or
# counter process of the scale-out, a report job) keeps ~12 MB of RSS free (docs/benchmarks.md).


def alembic_config(url: str) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "shared" / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def autogenerate(url: str, message: str) -> None:
    """For developers: write a new migration from the models' differences."""
    from alembic import command

    command.revision(alembic_config(url), message=message, autogenerate=True)
