"""One rate limiter for all apps (login, ticket taking); Redis-backed when a queue is configured."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def init_app(app: Flask) -> None:
    config = app.config["ANTRE"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", config.message_queue or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", config.rate_limits)
    limiter.init_app(app)
