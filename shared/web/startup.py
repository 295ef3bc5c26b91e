"""Before serving: migrate (embedded default), seed the demo, disable demo-password accounts."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from shared import migrate
from shared.accounts import disable_demo_password_accounts
from shared.config import Config, ConfigError
from shared.db import make_engine, make_session_factory
from shared.models import StaffUser
from shared.seed import demo_logins, seed_demo


def disable_defaults(config: Config, engine) -> list[str]:
    """Outside demo mode: no active account may keep the demo password. Those that do are
    deactivated (and logged), never a refusal to serve; their usernames."""
    if config.demo:
        return []
    if not inspect(engine).has_table("staff_user"):
        raise ConfigError("the database has no tables yet: run 'antre db upgrade'")
    with make_session_factory(engine)() as session:
        disabled = disable_demo_password_accounts(session)
        session.commit()
    return disabled


def has_staff(database_url: str) -> bool:
    """Whether any staff account exists (a fresh production database needs a first admin)."""
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return bool(session.scalar(select(func.count()).select_from(StaffUser)))
    finally:
        engine.dispose()


def prepare_database(config: Config, *, upgrade: bool) -> list[dict]:
    """Upgrade the schema if asked; in demo mode seed the demo sites and return their logins
    (``shared.seed.demo_logins``)."""
    if upgrade:
        migrate.upgrade(config.database_url)
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    try:
        if not inspect(engine).has_table("site"):
            raise ConfigError("the database has no tables yet: run 'antre db upgrade'")
        with make_session_factory(engine)() as session:
            if config.demo:
                seed_demo(session)
                session.commit()
                return demo_logins(session)
        disable_defaults(config, engine)
        return []
    finally:
        engine.dispose()
