"""The ``antre`` command: database upgrades, demo data and accounts, outside any web app."""

from __future__ import annotations

import click
from sqlalchemy.orm import Session

from shared import migrate
from shared.accounts import create_user, find_user, set_password
from shared.bpjs.commands import bpjs_group
from shared.config import Config, ConfigError
from shared.db import make_engine, make_session_factory
from shared.mobilejkn.commands import jkn_group
from shared.models import StaffUser
from shared.outbox.commands import outbox_group
from shared.queue.sites import site_by_slug
from shared.reports.commands import reports_group
from shared.seed import seed_demo
from shared.site_sync.commands import site_group
from shared.webhooks.commands import webhook_group


def _session(config: Config) -> Session:
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    return make_session_factory(engine)()


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Antre: queue and one-stop service system for Mal Pelayanan Publik."""
    try:
        ctx.obj = Config.from_env()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(config: Config, revision: str) -> None:
    """Create or migrate the database at ANTRE_DATABASE_URL."""
    migrate.upgrade(config.database_url, revision)
    click.echo(f"database at revision {revision}")


@main.command("seed-demo")
@click.option("--office-hours", is_flag=True, help="Real opening hours instead of round the clock.")
@click.option(
    "--closed-counters", is_flag=True, help="Leave counters closed until clerks open them."
)
@click.pass_obj
def seed_demo_command(config: Config, office_hours: bool, closed_counters: bool) -> None:
    """Add the demo sites of Kabupaten Tebo (MPP, RSUD, puskesmas, mobile unit); safe to run
    again."""
    with _session(config) as session:
        created = seed_demo(
            session, always_open=not office_hours, open_counters=not closed_counters
        )
        session.commit()
    click.echo("demo data created" if created else "demo data already present")


@main.command("create-admin")
@click.option("--username", required=True)
@click.option("--name", required=True)
@click.option("--site", "site_slug", help="The site's slug: an admin of that site only.")
@click.password_option()
@click.pass_obj
def create_admin(
    config: Config, username: str, name: str, password: str, site_slug: str | None
) -> None:
    """Create an installation admin (every site), or with --site a site admin."""
    with _session(config) as session:
        if find_user(session, username) is not None:
            raise click.ClickException(f"user {username!r} exists already")
        site_id = None
        if site_slug is not None:
            site = site_by_slug(session, site_slug)
            if site is None:
                raise click.ClickException(f"no active site {site_slug!r}")
            site_id = site.id
        try:
            create_user(
                session, username, password, name=name, role=StaffUser.ADMIN, site_id=site_id
            )
        except ValueError as error:  # WeakPassword says which rule (shared/passwords.py)
            raise click.ClickException(str(error)) from error
        session.commit()
    kind = f"site admin of {site_slug!r}" if site_slug else "installation admin"
    click.echo(f"{kind} {username!r} created")


@main.command("set-password")
@click.option("--username", required=True)
@click.password_option()
@click.option(
    "--activate", is_flag=True, help="Also reactivate the account (e.g. one on the demo password)."
)
@click.pass_obj
def set_password_command(config: Config, username: str, password: str, activate: bool) -> None:
    """Change a staff account's password (its open sessions end)."""
    with _session(config) as session:
        user = find_user(session, username)
        if user is None:
            raise click.ClickException(f"no user {username!r}")
        try:
            set_password(user, password)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        if activate:
            user.active = True
        session.commit()
    click.echo(f"password of {username!r} changed")


@main.command("purge")
@click.pass_obj
def purge(config: Config) -> None:
    """Erase personal data past its retention period (booking names and phone numbers, patient
    identities, alert subscriptions and the numbers of sent alerts)."""
    from shared.alerts.purge import purge_alert_data
    from shared.booking import purge_booking_data
    from shared.health import purge_patient_identities
    from shared.mobilejkn.purge import purge_jkn_data

    with _session(config) as session:
        count = purge_booking_data(session)
        identities = purge_patient_identities(session)
        purge_jkn_data(session)
        alerts = purge_alert_data(session)
        session.commit()
    click.echo(f"purged personal data of {count} bookings and {identities} patient identities")
    click.echo(f"purged personal data of {alerts} alert subscriptions and messages")


@main.command("backup")
@click.argument("destination", type=click.Path())
@click.pass_obj
def backup(config: Config, destination: str) -> None:
    """Copy the database to DESTINATION (a folder or a new file) while the server runs."""
    from shared.backup import BackupError, backup_database

    try:
        path = backup_database(config.database_url, destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backup written to {path}")


def _site_option(command):
    return click.option(
        "--site",
        "site_slug",
        default="",
        help="The site's slug (default: the only site, or the first of several)",
    )(command)


def _chosen_site(session: Session, slug: str):
    """The site ``--site`` names, or the default one; a clear error otherwise."""
    from shared.queue.errors import NotFound
    from shared.queue.sites import active_sites, default_site, site_by_slug

    if not slug:
        try:
            return default_site(session)
        except NotFound as error:
            raise click.ClickException(error.message) from error
    site = site_by_slug(session, slug)
    if site is None:
        known = ", ".join(s.slug for s in active_sites(session)) or "none"
        raise click.ClickException(f"no active site {slug!r} (sites: {known})")
    return site


@main.group()
def kiosk() -> None:
    """Kiosk devices (touchscreens with their ticket printers)."""


@kiosk.command("add")
@click.option("--name", required=True)
@click.option(
    "--printer",
    "printer_uri",
    default="",
    help="tcp://, usb://, serial://, cups://, file:// or none; empty: ANTRE_PRINTER",
)
@click.option("--paper", type=click.Choice(["58", "80"]), default="80", show_default=True)
@click.option("--profile", default="TM-T20II", show_default=True, help="python-escpos profile")
@click.option("--raster-qr", is_flag=True, help="The printer has no native QR (cheap clones).")
@click.option("--agencies", default="", help="Agency ids offered, e.g. 1,2 (default: all)")
@_site_option
@click.pass_obj
def kiosk_add(
    config: Config, name, printer_uri, paper, profile, raster_qr, agencies, site_slug
) -> None:
    """Register a kiosk of a site and print its token once (only its hash is stored)."""
    import secrets

    from escpos.capabilities import get_profile
    from sqlalchemy import select

    from shared.models import Agency, Kiosk
    from shared.printing import PrinterURIError, parse_printer_uri
    from shared.seed import token_hash

    try:
        parse_printer_uri(printer_uri)
        get_profile(profile)
        agency_ids = [int(part) for part in agencies.split(",") if part.strip()]
    except (PrinterURIError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # python-escpos raises its own error for unknown profiles
        raise click.ClickException(f"unknown printer profile {profile!r}") from error
    token = secrets.token_urlsafe(24)
    with _session(config) as session:
        site = _chosen_site(session, site_slug)
        own = set(session.execute(select(Agency.id).where(Agency.site_id == site.id)).scalars())
        if set(agency_ids) - own:
            strangers = ", ".join(str(i) for i in sorted(set(agency_ids) - own))
            raise click.ClickException(f"agencies not of site {site.slug!r}: {strangers}")
        kiosk = Kiosk(
            site_id=site.id,
            name=name,
            token_hash=token_hash(token),
            printer_uri=printer_uri,
            paper_width=int(paper),
            printer_profile=profile,
            native_qr=not raster_qr,
            agency_ids=agency_ids,
        )
        session.add(kiosk)
        session.commit()
        kiosk_id, slug = kiosk.id, site.slug
    base = config.public_url.rstrip("/")
    click.echo(f"kiosk {kiosk_id} {name!r} of site {slug!r} registered")
    click.echo(f"token (shown only now): {token}")
    click.echo(f"open on the kiosk once: {base}/kiosk/?token={token}")


@main.group()
def tablet() -> None:
    """Survey tablets: the SKM screen beside a counter, facing the citizen."""


@tablet.command("add")
@click.option("--counter", "number", type=int, required=True, help="The counter's number")
@_site_option
@click.pass_obj
def tablet_add(config: Config, number: int, site_slug: str) -> None:
    """Bind a tablet to a counter and print its link once (an earlier tablet stops working)."""
    from sqlalchemy import select

    from shared.models import Counter
    from shared.survey import register_tablet, tablet_link

    with _session(config) as session:
        site = _chosen_site(session, site_slug)
        counter = session.execute(
            select(Counter).where(Counter.site_id == site.id, Counter.number == number)
        ).scalar()
        if counter is None:
            raise click.ClickException(f"no counter {number} at site {site.slug!r}")
        link = tablet_link(config.public_url, counter, register_tablet(session, counter))
        session.commit()
    click.echo(f"tablet of counter {number} registered")
    click.echo(f"open on the tablet once: {link}")


@main.group("voice")
def voice_group() -> None:
    """Recorded voice clips for the lobby displays' announcements."""


@voice_group.command("import-clips")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--site", "site_slug", default=None, help="a site's own recordings (its slug)")
@click.pass_obj
def import_clips(config: Config, folder: str, site_slug: str | None) -> None:
    """Import WAV files named after their clip (satu.wav, nomor_antrean.wav, ...) from FOLDER:
    the installation's, or with --site a site's own (they replace the installation's there)."""
    from pathlib import Path

    from shared import voice

    if site_slug is not None:
        from shared.queue.sites import site_by_slug

        with _session(config) as session:
            if site_by_slug(session, site_slug) is None:
                raise click.ClickException(f"no active site {site_slug!r}")

    for path in sorted(Path(folder).glob("*.wav")):
        name = voice.clip_name(path.stem.lower())
        if name not in voice.REQUIRED_CLIPS:
            click.echo(f"skipped {path.name}: not a clip Antre uses")
            continue
        try:
            status = voice.import_clip(config.instance_path, name, path.read_bytes(), site_slug)
        except voice.ClipError as error:
            click.echo(f"refused {path.name}: {error}")
            continue
        click.echo(f"imported {name} ({status.seconds:.1f} s)")
    missing = voice.missing_clips(config.instance_path, site_slug)
    click.echo("all clips recorded" if not missing else f"still missing: {', '.join(missing)}")


main.add_command(site_group)
main.add_command(outbox_group)
main.add_command(webhook_group)
main.add_command(jkn_group)
main.add_command(bpjs_group)
main.add_command(reports_group)

if __name__ == "__main__":
    main()
