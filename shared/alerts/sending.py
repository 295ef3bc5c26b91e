"""The outbox handler of alerts: fill in the link, then hand the message to its channel.

Channels register a sender (``SENDERS[channel]``): WhatsApp and SMS through the site's HTTP
gateway (or ANTRE_NOTIFY_GATEWAY_URL), push through Web Push. A channel with no way out here
(no gateway configured, an offline LAN) fails quietly: the message stays visible on the admin
page, and nothing else waits for it.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.alerts.push import send_push
from shared.config import Config
from shared.models import OutboxMessage
from shared.outbox.delivery import Fail, Handler, register

# channel -> sender(message, text with its link, config) -> HTTP status; raises Retry or Fail.
SENDERS: dict[str, Callable[[OutboxMessage, str, Config], int | None]] = {"push": send_push}


def full_text(message: OutboxMessage, config: Config) -> str:
    link = config.public_url.rstrip("/") + message.payload.get("link_path", "")
    return message.payload["text"].replace("{link}", link).strip()


def _deliver(message: OutboxMessage, config: Config) -> int | None:
    channel = message.payload.get("channel")
    sender = SENDERS.get(channel)
    if sender is None:
        raise Fail(f"no sender for channel {channel!r}")
    return sender(message, full_text(message, config), config)


def _provider(message: OutboxMessage) -> str:
    """Rate limits per site and channel (each site may use its own gateway)."""
    return f"alert:{message.site_id}:{message.payload.get('channel')}"


HANDLER = register(Handler(kind="alert", deliver=_deliver, provider=_provider, rate="10/second"))

# The channels' senders register themselves in SENDERS when imported (after it exists).
from shared.alerts import gateway_senders  # noqa: E402, F401
