"""``antre bpjs set|show|pull-schedules``: a site's BPJS Antrean Online bridge (docs/bpjs.md)."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy import select

from shared.bpjs import bridges
from shared.bpjs.schedules import pull_schedules
from shared.bpjs.sealing import Unreadable, masked, unseal
from shared.cli_support import command_session, named_site, pass_config
from shared.config import Config
from shared.models import Service
from shared.outbox import Fail, Retry


@click.group("bpjs")
def bpjs_group() -> None:
    """BPJS Antrean Online: the hospital's (or puskesmas') bridge."""


@bpjs_group.command("set")
@click.option("--site", "slug", required=True)
@click.option("--cons-id", default="")
@click.option("--secret", default="", help="left out: the stored one is kept")
@click.option("--user-key", default="", help="left out: the stored one is kept")
@click.option("--url", default="", help="prod, dev, or a URL (tests, a proxy)")
@click.option("--variant", type=click.Choice(["rs", "fktp"]), default=None)
@click.option("--on/--off", "active", default=None, help="turn the bridge on or off")
@pass_config
def set_command(config: Config, slug: str, cons_id, secret, user_key, url, variant, active) -> None:
    """Create or change the site's bridge (secrets are stored encrypted)."""
    with command_session(config) as session:
        site = named_site(session, slug)
        try:
            bridges.set_bridge(
                session,
                config,
                site.id,
                cons_id=cons_id,
                secret=secret,
                user_key=user_key,
                url=url,
                variant=variant,
                active=active,
            )
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"BPJS bridge of {slug} saved.")


@bpjs_group.command("show")
@click.option("--site", "slug", required=True)
@pass_config
def show_command(config: Config, slug: str) -> None:
    """The bridge, secrets masked, and the polis' BPJS codes."""
    with command_session(config) as session:
        site = named_site(session, slug)
        bridge = bridges.bridge_of(session, site.id)
        if bridge is None:
            click.echo("BPJS bridge: off (not configured)")
            return
        try:
            secret, user_key = (masked(unseal(config, v)) for v in (bridge.secret, bridge.user_key))
        except Unreadable as error:
            secret = user_key = f"({error})"
        click.echo(f"BPJS bridge: {'on' if bridge.active else 'off'} ({bridge.variant})")
        click.echo(f"  url: {bridge.base_url}\n  cons-id: {bridge.cons_id}")
        click.echo(f"  secret: {secret}\n  user key: {user_key}")
        services = session.execute(
            select(Service).where(Service.site_id == site.id, Service.bpjs_code != "")
        ).scalars()
        for service in services:
            click.echo(f"  poli {service.code} {service.name}: {service.bpjs_code}")


@bpjs_group.command("pull-schedules")
@click.option("--site", "slug", required=True)
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]))
@pass_config
def pull_command(config: Config, slug: str, day) -> None:
    """Pull jadwaldokter of every mapped poli for the day into schedules and sessions."""
    with command_session(config) as session:
        site = named_site(session, slug)
        bridge = bridges.active_bridge(session, site.id)
        if bridge is None:
            raise click.ClickException("the BPJS bridge of this site is off")
        found = bridges.credentials(bridge, config)
        polis = session.execute(
            select(Service).where(Service.site_id == site.id, Service.bpjs_code != "")
        ).scalars()
        for poli in list(polis):
            try:
                pulled = pull_schedules(session, found, poli, date.fromordinal(day.toordinal()))
            except (Retry, Fail) as error:
                raise click.ClickException(f"{poli.bpjs_code}: {error}") from error
            for line in pulled.updated:
                click.echo(f"{poli.bpjs_code}: {line}")
            for line in pulled.skipped:
                click.echo(f"{poli.bpjs_code}: skipped {line}")
        session.commit()
