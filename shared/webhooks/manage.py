"""Adding, changing, listing and removing a site's webhooks (the CLI and the admin pages)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Webhook
from shared.queue.errors import N_, DomainError, NotFound

EVENTS = (
    "ticket.issued",
    "ticket.called",
    "ticket.finished",
    "ticket.transferred",
    "ticket.no_show",
    "booking.made",
    "booking.cancelled",
    "survey.answered",
)
# What the admin page calls each event (translated where shown).
EVENT_LABELS = {
    "ticket.issued": N_("Ticket issued"),
    "ticket.called": N_("Ticket called"),
    "ticket.finished": N_("Ticket finished"),
    "ticket.transferred": N_("Ticket transferred"),
    "ticket.no_show": N_("Ticket not present (no-show)"),
    "booking.made": N_("Booking made"),
    "booking.cancelled": N_("Booking cancelled"),
    "survey.answered": N_("Survey answered"),
}
MAX_URL = 500


class InvalidWebhook(DomainError):
    status = 400
    code = "invalid_webhook"
    message = N_("Invalid webhook.")


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL:
        raise InvalidWebhook(N_("The address must start with http:// or https://."))
    return url


def check_events(events) -> list[str]:
    chosen = [e.strip() for e in events if e and e.strip()]
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown or not chosen:
        raise InvalidWebhook(N_("Choose at least one of the known events."))
    return [e for e in EVENTS if e in chosen]  # one order, no repeats


def check_secret(secret: str | None) -> str:
    """A secret of at least 16 characters; a fresh random one when none is given."""
    secret = (secret or "").strip()
    if not secret:
        return secrets.token_urlsafe(32)
    if len(secret) < 16 or len(secret) > 128:
        raise InvalidWebhook(N_("The secret must be 16 to 128 characters long."))
    return secret


def add_webhook(
    session: Session,
    site_id: int,
    url: str,
    events,
    *,
    secret: str | None = None,
    include_personal_data: bool = False,
    active: bool = True,
) -> Webhook:
    webhook = Webhook(
        site_id=site_id,
        url=check_url(url),
        secret=check_secret(secret),
        events=check_events(events),
        include_personal_data=bool(include_personal_data),
        active=bool(active),
    )
    session.add(webhook)
    session.flush()
    return webhook


def change_webhook(
    session: Session,
    webhook: Webhook,
    url: str,
    events,
    *,
    include_personal_data: bool,
    active: bool,
) -> Webhook:
    """Everything but the secret (a new secret means a new webhook)."""
    webhook.url = check_url(url)
    webhook.events = check_events(events)
    webhook.include_personal_data = bool(include_personal_data)
    webhook.active = bool(active)
    session.flush()
    return webhook


def site_webhooks(session: Session, site_id: int) -> list[Webhook]:
    return list(
        session.execute(select(Webhook).where(Webhook.site_id == site_id).order_by(Webhook.id))
        .scalars()
        .all()
    )


def get_webhook(session: Session, webhook_id: int, site_id: int | None = None) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or (site_id is not None and webhook.site_id != site_id):
        raise NotFound()
    return webhook


def remove_webhook(session: Session, webhook: Webhook) -> None:
    """Its undelivered messages then fail at delivery (the handler finds no webhook)."""
    session.delete(webhook)
    session.flush()
