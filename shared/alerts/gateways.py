"""HTTP gateways for WhatsApp and SMS alerts: presets, the env default, rendering a request.

A gateway is a URL, headers and a body template (JSON or form) with placeholders:
{id} (the outbox message's stable uid), {to} (E.164, "+62…"), {to_digits} ("62…", no "+"),
{channel}, {text}, {ticket}, {link}. Values are JSON-escaped in a JSON template and url-encoded
in a form template, so a citizen's text cannot break the request.

Presets (their documented APIs):
- WhatsApp Business Cloud API (Meta): POST https://graph.facebook.com/v<version>/<phone number
  id>/messages, ``Authorization: Bearer <token>``, JSON
  ``{"messaging_product": "whatsapp", "to": "62…", "type": "text", "text": {"body": …}}``.
  https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
- Fonnte (a widely used Indonesian WhatsApp gateway): POST https://api.fonnte.com/send,
  ``Authorization: <device token>``, form fields ``target`` and ``message``.
  https://docs.fonnte.com/api-send-message/
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import Config
from shared.models import NotifyGateway

PLACEHOLDER = re.compile(r"\{(id|to|to_digits|channel|text|ticket|link)\}")
PLACEHOLDERS = ("id", "to", "to_digits", "channel", "text", "ticket", "link")
SECRET_MARK = "••••"

# The body ANTRE_NOTIFY_GATEWAY_URL receives: {"id", "to", "channel", "text", "ticket"}.
DEFAULT_TEMPLATE = (
    '{"id": "{id}", "to": "{to}", "channel": "{channel}", "text": "{text}", "ticket": "{ticket}"}'
)


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    channels: str
    url: str
    headers: dict[str, str]
    body_format: str
    body_template: str
    doc: str


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "whatsapp_cloud",
            "WhatsApp Business Cloud API (Meta)",
            "whatsapp",
            "https://graph.facebook.com/v21.0/<PHONE_NUMBER_ID>/messages",
            {"Authorization": "Bearer <ACCESS_TOKEN>"},
            "json",
            '{"messaging_product": "whatsapp", "to": "{to_digits}", "type": "text", '
            '"text": {"preview_url": true, "body": "{text}"}}',
            "https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages",
        ),
        Preset(
            "fonnte",
            "Fonnte (WhatsApp)",
            "whatsapp",
            "https://api.fonnte.com/send",
            {"Authorization": "<DEVICE_TOKEN>"},
            "form",
            "target={to_digits}&message={text}",
            "https://docs.fonnte.com/api-send-message/",
        ),
        Preset(
            "custom",
            "Custom HTTP gateway",
            "both",
            "",
            {},
            "json",
            DEFAULT_TEMPLATE,
            "",
        ),
    )
}


@dataclass(frozen=True)
class Route:
    """Where one message goes: a site's gateway or the installation's default."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body_format: str = "json"
    body_template: str = DEFAULT_TEMPLATE
    name: str = "default"


def route_for(
    session: Session, site_id: int | None, channel: str, config: Config, gateway_id=None
) -> Route | None:
    """The site's active gateway for ``channel`` (the first made), else the env default."""
    stmt = select(NotifyGateway).where(
        NotifyGateway.site_id == site_id, NotifyGateway.active.is_(True)
    )
    if gateway_id is not None:
        stmt = select(NotifyGateway).where(NotifyGateway.id == gateway_id)
    for gateway in session.execute(stmt.order_by(NotifyGateway.id)).scalars():
        if gateway.serves(channel) or gateway_id is not None:
            return Route(
                gateway.url,
                dict(gateway.headers or {}),
                gateway.body_format,
                gateway.body_template,
                gateway.name,
            )
    if config.notify_gateway_url:
        return Route(config.notify_gateway_url)
    return None


def works(session: Session, site_id: int, channel: str, config: Config) -> bool:
    return route_for(session, site_id, channel, config) is not None


def render_body(route: Route, values: dict[str, str]) -> tuple[bytes, str]:
    """(body, content type): placeholders filled, escaped for the body's format."""
    if route.body_format == "form":

        def escape(value: str) -> str:
            return quote_plus(value)

        content_type = "application/x-www-form-urlencoded"
    else:

        def escape(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)[1:-1]

        content_type = "application/json"
    body = PLACEHOLDER.sub(lambda m: escape(str(values.get(m.group(1)) or "")), route.body_template)
    return body.encode(), content_type


SAMPLE = {
    "id": "0" * 32,
    "to": "+6281234567890",
    "to_digits": "6281234567890",
    "channel": "whatsapp",
    "text": 'Giliran Anda! "A-001" {x}\n',
    "ticket": "A-001",
    "link": "https://antre.example/t/ABC",
}


def check_template(body_format: str, template: str) -> str | None:
    """Why a template cannot be used (None: it can): a JSON one must render valid JSON."""
    if body_format == "json":
        try:
            json.loads(render_body(Route("", {}, "json", template), SAMPLE)[0])
        except ValueError:
            return "json"
    return None


def check_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and "<" not in url


def mask_secret(value: str) -> str:
    """ "Bearer EAAG••••": enough to recognise a token, never enough to use it."""
    if len(value) <= 8:
        return SECRET_MARK
    return value[: min(len(value) // 3, 11)] + SECRET_MARK


def masked_headers(headers: dict[str, str] | None) -> dict[str, str]:
    return {name: mask_secret(value) for name, value in (headers or {}).items()}


def merge_headers(typed: dict[str, str], stored: dict[str, str] | None) -> dict[str, str]:
    """A header sent back still masked keeps its stored value (the admin did not change it)."""
    stored = stored or {}
    merged = {}
    for name, value in typed.items():
        if SECRET_MARK in value and name in stored and mask_secret(stored[name]) == value:
            merged[name] = stored[name]
        else:
            merged[name] = value
    return merged
