"""``antre site …``: keys, export, import and push of an offline site's days."""

from __future__ import annotations

import urllib.error
from datetime import date
from pathlib import Path

import click

from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.queue.sites import site_by_slug
from shared.site_sync import signing
from shared.site_sync.errors import SyncRefused


def _session(config: Config):
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    return make_session_factory(engine)()


def _site(session, slug: str):
    site = site_by_slug(session, slug)
    if site is None:
        raise click.ClickException(f"no site {slug!r} in this database")
    return site


def _key(config: Config, slug: str) -> signing.SiteKey:
    try:
        return signing.load(config.instance_path, slug)
    except (OSError, ValueError, KeyError) as error:
        raise click.ClickException(str(error)) from error


SINCE = click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="First business day (default: all)."
)


def _day(value) -> date | None:
    return value.date() if value else None


@click.group("site")
def site_group() -> None:
    """Offline sites: send a site's days from its own machine to the central installation."""


@site_group.command("keygen")
@click.option("--site", "slug", required=True)
@click.option("--force", is_flag=True, help="Replace the key that exists already.")
@click.pass_obj
def keygen(config: Config, slug: str, force: bool) -> None:
    """On the offline machine: make the site's signing key and print its public half."""
    try:
        key = signing.generate(config.instance_path, slug, replace=force)
    except FileExistsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"private key kept in {signing.key_path(config.instance_path, slug)}")
    click.echo(f"public key (key id {signing.key_id(key.public_hex)}); register it centrally:")
    click.echo(f"  antre site trust --site {slug} --key {key.public_hex}")


@site_group.command("trust")
@click.option("--site", "slug", required=True)
@click.option("--key", "public", required=True, help="The public key printed by keygen (hex).")
@click.pass_obj
def trust(config: Config, slug: str, public: str) -> None:
    """On the central installation: accept the site's files signed by this key (only)."""
    checked = signing.valid_public_key(public)
    if checked is None:
        raise click.ClickException("not an Ed25519 public key (64 hex digits)")
    with _session(config) as session:
        _site(session, slug).sync_public_key = checked
        session.commit()
    click.echo(f"site {slug!r} now accepts files signed by key {signing.key_id(checked)}")


@site_group.command("export")
@click.option("--site", "slug", required=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True)
@SINCE
@click.pass_obj
def export(config: Config, slug: str, out: str, since) -> None:
    """Write the site's days (from --since on) to a signed file for ``antre site import``."""
    from shared.site_sync.export import export_site

    key = _key(config, slug)
    with _session(config) as session:
        payload = export_site(session, _site(session, slug), key.tag, _day(since))
    Path(out).write_bytes(signing.pack(payload, key))
    click.echo(f"{len(payload['tickets'])} tickets of {slug!r} written to {out}")


def _report(counts: dict) -> str:
    kinds = ("visits", "tickets", "logs", "surveys")
    new = ", ".join(f"{counts['imported'][k]} {k}" for k in kinds)
    known = ", ".join(f"{counts['skipped'][k]} {k}" for k in kinds)
    return f"imported {new}; already here {known}; {counts['updated']} tickets updated"


@site_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def import_command(config: Config, path: str) -> None:
    """Import a signed file; running it again (after an interruption too) is safe."""
    from shared.site_sync.importing import import_file

    with _session(config) as session:
        try:
            counts = import_file(session, Path(path).read_bytes())
        except SyncRefused as refused:
            raise click.ClickException(str(refused)) from refused
    click.echo(_report(counts.as_json()))


@site_group.command("push")
@click.option("--site", "slug", required=True)
@click.option("--url", "central", required=True, help="The central installation, https://…")
@SINCE
@click.pass_obj
def push(config: Config, slug: str, central: str, since) -> None:
    """Send the site's days to the central installation (one request per day)."""
    from shared.site_sync.push import push_days

    key = _key(config, slug)
    with _session(config) as session:
        try:
            for day, status, answer in push_days(
                session, _site(session, slug), key, central, _day(since)
            ):
                if status != 200:
                    message = answer.get("message", "")
                    raise click.ClickException(f"{day}: refused ({status}) {message}")
                click.echo(f"{day}: {_report(answer)}")
        except (urllib.error.URLError, OSError) as error:
            raise click.ClickException(f"cannot reach {central}: {error}") from error
