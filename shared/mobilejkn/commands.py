"""``antre jkn set-credentials``: the x-username / x-password BPJS uses at a site."""

from __future__ import annotations

import click

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.mobilejkn.credentials import set_credentials
from shared.passwords import DEMO_PASSWORD
from shared.queue.sites import site_by_slug

pass_config = click.make_pass_decorator(Config)


@click.group("jkn")
def jkn_group() -> None:
    """The web service Mobile JKN calls (docs/bpjs.md, "Inbound")."""


@jkn_group.command("set-credentials")
@click.option("--site", "slug", required=True, help="The site's slug.")
@click.option("--username", required=True, help="The x-username given to BPJS.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The x-password given to BPJS (8+ characters; asked when left out).",
)
@pass_config
def set_credentials_command(config: Config, slug: str, username: str, password: str) -> None:
    """Store the credentials (the password as an argon2 hash, never shown again)."""
    if password == DEMO_PASSWORD and not config.demo:
        raise click.ClickException("the demo's password is refused outside demo mode")
    with make_session_factory(make_engine(config.database_url))() as session:
        site = site_by_slug(session, slug)
        if site is None:
            raise click.ClickException(f"no active site {slug!r}")
        try:
            set_credentials(session, site, username, password)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"Mobile JKN credentials set for {slug} (username {username})")
