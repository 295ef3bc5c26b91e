"""What each setting accepts, checked when the configuration is made: a bad value stops the start
with the variable's name and the values it takes, instead of a quiet default or failed tickets."""

from __future__ import annotations

from urllib.parse import urlsplit

# Settings that take one of a few words (compared as written, SQLite's levels in capitals).
CHOICES: dict[str, tuple[str, ...]] = {
    "skm_weight": ("exact", "0.11"),  # shared/skm.py WEIGHTS
    "sqlite_synchronous": ("FULL", "EXTRA", "NORMAL"),  # shared/db.py
    "outbox_relay": ("inprocess", "off"),
    "async_mode": ("threading", "gevent"),
    "default_locale": ("id", "en"),  # shared/web/i18n.py LANGUAGES
}
# Numbers with a floor: (smallest accepted, what it means).
MINIMUMS: dict[str, float] = {
    "port": 1,
    "printer_timeout": 0.1,
    "socketio_ping_interval": 1,
    "socketio_ping_timeout": 1,
    "session_idle_minutes": 1,
    "session_max_hours": 1,
    "proxy_hops": 0,
    "max_content_length": 1024,
    "daily_backups": 0,
    "outbox_poll_seconds": 0.01,
}
URLS: dict[str, tuple[str, ...]] = {
    "public_url": ("http", "https"),
    "message_queue": ("redis", "rediss"),
    "notify_gateway_url": ("http", "https"),
}


def env_name(name: str) -> str:
    return "ANTRE_" + name.upper()


def problems(config) -> list[str]:
    """One sentence per bad setting, naming its variable and what it accepts."""
    found = []
    for name, accepted in CHOICES.items():
        value = getattr(config, name)
        if name == "sqlite_synchronous":
            value = value.upper()
        if value not in accepted:
            found.append(
                f"{env_name(name)}={getattr(config, name)!r} is not one of: {', '.join(accepted)}"
            )
    for name, floor in MINIMUMS.items():
        value = getattr(config, name)
        if value < floor:
            found.append(f"{env_name(name)}={value!r} must be at least {floor:g}")
    if config.port > 65535:
        found.append(f"ANTRE_PORT={config.port!r} must be at most 65535")
    for name, schemes in URLS.items():
        value = getattr(config, name)
        if value and (urlsplit(value).scheme not in schemes or not urlsplit(value).netloc):
            found.append(
                f"{env_name(name)}={value!r} is not a {' or '.join(s + '://' for s in schemes)}"
                " address"
            )
    printer = _printer_problem(config.printer)
    if printer:
        found.append(f"ANTRE_PRINTER={config.printer!r}: {printer}")
    return found


def _printer_problem(uri: str) -> str | None:
    from shared.printing.devices import PrinterURIError, parse_printer_uri

    try:
        parse_printer_uri(uri)
    except PrinterURIError as error:
        return str(error)
    return None
