"""One rate limiter for all apps (login, ticket taking); Redis-backed when a queue is configured.

Lookups by code (ticket and booking pages, QR images, the /ticket socket's join) share one budget
per client address that only misses spend: a code that exists costs nothing, so phones reloading
their own ticket behind the mall's Wi-Fi (one address for hundreds of phones) are never counted,
while someone guessing codes misses nearly every time. The arithmetic: docs/display.md, "Lookups
by code".
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)

# Unknown codes a client address may ask for: a burst of typos passes, guessing does not.
CODE_MISSES = "30/minute;300/hour"
CODE_SCOPE = "code-lookup"


def _missed(response) -> bool:
    return response.status_code == 404


# Decorates every HTTP route that finds something by its code (one budget across all of them).
code_lookup = limiter.shared_limit(CODE_MISSES, scope=CODE_SCOPE, deduct_when=_missed)


def code_lookups_left() -> bool:
    """For Socket.IO handlers (no Flask-Limiter there): may this client look up a code now?"""
    if not (limiter.initialized and limiter.enabled):
        return True
    key = get_remote_address()
    return all(limiter.limiter.test(item, key, CODE_SCOPE) for item in parse_many(CODE_MISSES))


def count_code_miss() -> None:
    """Spend one miss of this client's budget, the same one the HTTP routes spend."""
    if limiter.initialized and limiter.enabled:
        key = get_remote_address()
        for item in parse_many(CODE_MISSES):
            limiter.limiter.hit(item, key, CODE_SCOPE)


def init_app(app: Flask) -> None:
    config = app.config["ANTRE"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", config.message_queue or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", config.rate_limits)
    # A moving window: no double burst across a minute's boundary (and exact counts in tests).
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    limiter.init_app(app)
