"""The words of each alert, per site and language: the site's own text, else the built-in one.

Placeholders in braces are filled when the alert is written: {number}, {ahead}, {counter},
{service}, {site}, {code}, {date}, {time}; {link} (the ticket or booking page) is filled when it
is sent, from the installation's public address.
"""

from __future__ import annotations

import re
import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import AlertText
from shared.queue import errors

N_ = errors.N_

# key: (Bahasa Indonesia, English) — the built-in texts; admins may write their own per site.
DEFAULTS: dict[str, tuple[str, str]] = {
    "near": (
        "Antrean {number} di {site}: {ahead} lagi sebelum giliran Anda. Mohon bersiap. {link}",
        "Ticket {number} at {site}: {ahead} more before your turn. Please get ready. {link}",
    ),
    "call": (
        "Giliran Anda! Nomor {number}, silakan ke {counter}. {link}",
        "Your turn! Number {number}, please go to {counter}. {link}",
    ),
    "step": (
        "Nomor antrean baru Anda: {number} di {service}. {link}",
        "Your new number: {number} at {service}. {link}",
    ),
    "booking_confirmed": (
        "Booking {code} di {site}: {service}, {date} pukul {time}. "
        "Check-in di kiosk dengan kode ini. {link}",
        "Booking {code} at {site}: {service}, {date} at {time}. "
        "Check in at the kiosk with this code. {link}",
    ),
    "booking_reminder": (
        "Pengingat: besok {date} pukul {time}, {service} di {site}. Kode booking {code}. {link}",
        "Reminder: tomorrow {date} at {time}, {service} at {site}. Booking code {code}. {link}",
    ),
}
KEYS = tuple(DEFAULTS)
PLACEHOLDERS = frozenset(
    {"number", "ahead", "counter", "service", "site", "code", "date", "time", "link"}
)
MAX_LENGTH = 480  # three SMS segments at most


class InvalidAlertText(errors.DomainError):
    status = 422
    code = "invalid_alert_text"
    message = N_("Unknown placeholder {%(name)s}: use %(allowed)s.")


def check_text(text: str) -> str:
    """A site's own text: known placeholders only, and short enough for an SMS."""
    text = (text or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise errors.DomainError(N_("An alert text has 1 to 480 characters."))
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise errors.DomainError(N_("Braces must enclose a placeholder, like {number}.")) from error
    for name in sorted(names):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
            raise InvalidAlertText(name=name, allowed=allowed)
    return text


def template(session: Session, site_id: int, key: str, language: str) -> str:
    own = session.execute(
        select(AlertText.text).where(
            AlertText.site_id == site_id, AlertText.key == key, AlertText.language == language
        )
    ).scalar_one_or_none()
    return own or DEFAULTS[key][1 if language == "en" else 0]


class _Keep(dict):
    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def render(text: str, **values) -> str:
    """Fill what is known now; {link} (and anything unknown) stays for the sender."""
    filled = text.format_map(_Keep({k: v for k, v in values.items() if v is not None}))
    return re.sub(r"[ \t]+", " ", filled).strip()
