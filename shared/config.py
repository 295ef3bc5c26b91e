"""One configuration object, read from ``ANTRE_*`` environment variables (and an optional .env)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from dotenv import load_dotenv

from shared import secret_key as keys

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = keys.DEMO_SECRET_KEY  # refused outside demo mode
TIME_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


class ConfigError(RuntimeError):
    """The configuration cannot be used (refused at start-up)."""


MIN_SECRET_LENGTH = keys.MIN_LENGTH


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def _number(f, raw: str) -> int | float:
    kind = int if f.type in ("int", int) else float
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"ANTRE_{f.name.upper()}={raw!r} is not {what}") from None


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'antre.db'}"


@dataclass
class Config:
    """Settings shared by the three apps; each field ``foo`` is read from ``ANTRE_FOO``."""

    database_url: str = field(default_factory=_default_database_url)
    # Empty: the demo key in demo mode, else one generated once in the instance folder.
    secret_key: str = ""
    message_queue: str = ""
    socketio_channel: str = "antre"
    # Where Socket.IO listens; empty: /socket.io for run.py, /<app>/socket.io for one app alone
    # (so that one nginx host can route each app's websockets to its own processes).
    socketio_path: str = ""
    # Engine.IO heartbeat: a TV or phone whose Wi-Fi dropped without closing the connection is
    # noticed (by both ends, then it reconnects and resyncs) after about interval + timeout.
    socketio_ping_interval: float = 25.0
    socketio_ping_timeout: float = 20.0
    public_url: str = "http://127.0.0.1:5000"
    printer: str = "none"
    printer_timeout: float = 3.0
    demo: bool = False
    host: str = "127.0.0.1"
    port: int = 5000
    async_mode: str = "threading"
    default_locale: str = "id"
    session_idle_minutes: int = 30
    # However busy, a staff session ends this long after its sign-in.
    session_max_hours: int = 12
    rate_limits: bool = True
    # Reverse proxies in front (nginx: 1): trust that many X-Forwarded-For/-Proto hops, so that
    # rate limits count each client, not the proxy. 0 trusts none (a client could forge them).
    proxy_hops: int = 0
    max_content_length: int = 64 * 1024
    node_modules: str = str(PROJECT_ROOT / "node_modules")
    instance_path: str = str(PROJECT_ROOT / "instance")
    # SKM weight per element: "exact" (1/9) or "0.11" as printed in PermenPANRB 14/2017.
    skm_weight: str = "exact"
    # SQLite only: FULL (default) keeps every acknowledged ticket through a power cut; NORMAL is
    # faster and may lose the last commits (shared/db.py, docs/benchmarks.md).
    sqlite_synchronous: str = "FULL"
    # SQLite only: the embedded server copies the database into <instance>/backups once a business
    # day and keeps that many copies (0: off). docs/deployment.md.
    daily_backups: int = 7
    # The outbox relay (shared/outbox): "inprocess" delivers from the embedded server itself;
    # "off" leaves it to `antre outbox work` processes (the scale-out). Seconds between looks at
    # the table when nothing woke the relay.
    outbox_relay: str = "inprocess"
    outbox_poll_seconds: float = 0.5
    # How often run.py's report job folds the ticket log into the report roll-ups.
    reports_refresh_seconds: float = 60.0
    # Default gateway for WhatsApp/SMS alerts of every site that has none of its own.
    notify_gateway_url: str = ""
    # Web Push: the VAPID private key (PEM or base64url; empty: generated once into
    # <instance>/vapid_private_key.pem) and the contact the push services may write to.
    vapid_private_key: str = ""
    vapid_subject: str = "mailto:admin@localhost"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Config:
        """Read ``ANTRE_*`` variables (after loading ``.env`` when reading the real environment)."""
        if environ is None:
            load_dotenv(PROJECT_ROOT / ".env", override=False)
            environ = dict(os.environ)
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get("ANTRE_" + f.name.upper())
            if raw is None or raw == "":
                continue
            if f.type in ("bool", bool):
                values[f.name] = _bool(raw)
            elif f.type in ("int", "float", int, float):
                values[f.name] = _number(f, raw)
            else:
                values[f.name] = raw
        values.update(overrides)
        return cls(**values)

    def __post_init__(self) -> None:
        """Refuse a bad setting now, naming it and what it accepts (shared/config_checks.py)."""
        from shared.config_checks import problems

        found = problems(self)
        if found:
            raise ConfigError("; ".join(found))

    def check_production_safety(self) -> None:
        """Settle the key that signs staff sessions. Demo mode may use the public demo key;
        otherwise a weak key is refused, and without one a key is generated once in the instance
        folder (see shared/secret_key.py)."""
        if not self.secret_key:
            if self.demo:
                self.secret_key = DEFAULT_SECRET_KEY
                return
            try:
                self.secret_key = keys.load_or_create(self.instance_path)
            except (keys.WeakSecretKey, OSError) as error:
                raise ConfigError(f"no usable session key: {error}") from error
            return
        if self.demo:
            return
        reason = keys.weakness(self.secret_key)
        if reason:
            # It signs every staff session: a guessable key lets anyone forge one offline.
            raise ConfigError(
                f"ANTRE_SECRET_KEY is refused: {reason}. Leave it unset (a random key is then "
                f"kept in {self.instance_path}/{keys.FILE_NAME}), set a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), or run in "
                "demo mode with ANTRE_DEMO=1."
            )

    def flask_settings(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            "MAX_CONTENT_LENGTH": self.max_content_length,
            "BABEL_DEFAULT_LOCALE": self.default_locale,
            "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.public_url.startswith("https://"),
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "WTF_CSRF_TIME_LIMIT": None,
            "ANTRE": self,
        }
