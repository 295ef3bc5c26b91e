"""Before serving: migrate (embedded default), seed the demo, refuse default passwords."""

from __future__ import annotations

from sqlalchemy import inspect

from shared import migrate
from shared.accounts import refuse_demo_passwords
from shared.config import Config, ConfigError
from shared.db import make_engine, make_session_factory
from shared.seed import demo_logins, seed_demo


def refuse_defaults(config: Config, engine) -> None:
    """Outside demo mode: no account may keep the demo password (the secret is checked earlier)."""
    if config.demo:
        return
    if not inspect(engine).has_table("staff_user"):
        raise ConfigError("the database has no tables yet: run 'antre db upgrade'")
    with make_session_factory(engine)() as session:
        refuse_demo_passwords(session)


def prepare_database(config: Config, *, upgrade: bool) -> list[tuple[str, str, str]]:
    """Upgrade the schema if asked; in demo mode seed the demo mall and return its logins."""
    if upgrade:
        migrate.upgrade(config.database_url)
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    try:
        if not inspect(engine).has_table("mall"):
            raise ConfigError("the database has no tables yet: run 'antre db upgrade'")
        with make_session_factory(engine)() as session:
            if config.demo:
                seed_demo(session)
                session.commit()
                return demo_logins(session)
        refuse_defaults(config, engine)
        return []
    finally:
        engine.dispose()
