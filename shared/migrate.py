"""Alembic, driven from code: ``antre db upgrade`` and the embedded default's start-up."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from shared.config import PROJECT_ROOT


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "shared" / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def autogenerate(url: str, message: str) -> None:
    """For developers: write a new migration from the models' differences."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
