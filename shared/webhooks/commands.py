"""``antre webhook add|list|remove``: a site's webhooks from the command line."""

from __future__ import annotations

import click

from shared.cli_support import command_session, named_site, pass_config
from shared.config import Config
from shared.queue.errors import DomainError
from shared.webhooks import manage


@click.group("webhook")
def webhook_group() -> None:
    """Signed webhooks for integrators (docs/webhooks.md)."""


@webhook_group.command("add")
@click.option("--site", "slug", required=True, help="The site's slug.")
@click.option("--url", required=True, help="http:// or https:// address that receives events.")
@click.option("--secret", default="", help="Signing secret (16+ characters); generated if empty.")
@click.option("--events", required=True, help="Comma list: " + ",".join(manage.EVENTS))
@click.option("--personal-data", is_flag=True, help="Include a booking's name and phone.")
@pass_config
def add(config: Config, slug: str, url: str, secret: str, events: str, personal_data: bool):
    """Add a webhook; prints its id (and the secret when it was generated)."""
    with command_session(config) as session:
        site = named_site(session, slug)
        try:
            webhook = manage.add_webhook(
                session,
                site.id,
                url,
                events.split(","),
                secret=secret,
                include_personal_data=personal_data,
            )
        except DomainError as error:
            raise click.ClickException(str(error)) from None
        session.commit()
        click.echo(webhook.id)
        if not secret:
            click.echo(f"secret: {webhook.secret}", err=True)


@webhook_group.command("list")
@click.option("--site", "slug", required=True)
@pass_config
def list_webhooks(config: Config, slug: str) -> None:
    """The site's webhooks: id, state, URL, events (the secret's last 4 characters only)."""
    with command_session(config) as session:
        for webhook in manage.site_webhooks(session, named_site(session, slug).id):
            state = "active" if webhook.active else "disabled"
            personal = " personal-data" if webhook.include_personal_data else ""
            click.echo(
                f"{webhook.id}\t{state}{personal}\t{webhook.url}\t"
                f"{','.join(webhook.events)}\tsecret {webhook.secret_hint}"
            )


@webhook_group.command("remove")
@click.argument("webhook_id", type=int)
@pass_config
def remove(config: Config, webhook_id: int) -> None:
    """Remove a webhook (its undelivered events then fail, visible on the Outbox page)."""
    with command_session(config) as session:
        try:
            manage.remove_webhook(session, manage.get_webhook(session, webhook_id))
        except DomainError:
            raise click.ClickException(f"no webhook {webhook_id}") from None
        session.commit()
    click.echo(f"webhook {webhook_id} removed")
