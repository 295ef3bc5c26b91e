"""What will work at a site: WhatsApp and SMS need a gateway (the site's or the env default),
push needs Web Push set up. The ticket page shows only these, and asking for another is a 409."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.alerts.gateways import works
from shared.alerts.sending import SENDERS
from shared.config import Config
from shared.models import AlertSubscription, Site, Ticket
from shared.queue import errors

LABELS = {"whatsapp": "WhatsApp", "sms": "SMS", "push": "push"}


class ChannelUnavailable(errors.DomainError):
    status = 409
    code = "channel_unavailable"
    message = errors.N_("%(channel)s alerts do not work at this site. These do: %(available)s.")


class NoAlerts(ChannelUnavailable):
    message = errors.N_("Alerts do not work at this site now.")


def alert_channels(session: Session, site: Site, config: Config) -> dict[str, bool]:
    return {
        "whatsapp": "whatsapp" in SENDERS and works(session, site.id, "whatsapp", config),
        "sms": "sms" in SENDERS and works(session, site.id, "sms", config),
        "push": "push" in SENDERS,
    }


def check_channel(session: Session, site: Site, config: Config, channel: str) -> None:
    """ChannelUnavailable (409) unless ``channel`` works at this site."""
    channels = alert_channels(session, site, config)
    if channels.get(channel):
        return
    available = [LABELS[name] for name, ok in channels.items() if ok]
    if not available:
        raise NoAlerts()
    raise ChannelUnavailable(channel=LABELS.get(channel, channel), available=", ".join(available))


def alerts_json(session: Session, ticket: Ticket, site: Site, config: Config) -> dict:
    """For the ticket page: what works here, and what this visit asked for (never the phone)."""
    subscribed = session.execute(
        select(AlertSubscription.channel)
        .where(AlertSubscription.visit_id == ticket.visit_id, AlertSubscription.active.is_(True))
        .order_by(AlertSubscription.channel)
    ).scalars()
    return {"channels": alert_channels(session, site, config), "subscribed": list(subscribed)}
