"""What the ``antre`` command groups share: the configuration, a session, a site by its slug."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.queue.sites import site_by_slug

pass_config = click.make_pass_decorator(Config)


def command_session(config: Config) -> Session:
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    return make_session_factory(engine)()


def named_site(session: Session, slug: str):
    """The active site ``--site`` names, or a clear error."""
    site = site_by_slug(session, slug)
    if site is None:
        raise click.ClickException(f"no active site {slug!r}")
    return site
