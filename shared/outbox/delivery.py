"""What a handler tells the relay, the registry of handlers, and HTTP delivery with httpx."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from shared.config import Config
from shared.models import OutboxMessage

TIMEOUT = httpx.Timeout(5.0, connect=3.0)


class Retry(Exception):  # noqa: N818 - the relay's verb: try again later
    """Not delivered this time (network down, 5xx, 429): back off and try again."""

    def __init__(self, reason: str, *, status: int | None = None, after: timedelta | None = None):
        super().__init__(reason)
        self.status = status
        self.after = after


class Fail(Exception):  # noqa: N818 - the relay's verb: give up
    """Refused for good (a 4xx other than 429, a bad address): kept, visible, not retried."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        quiet: bool = False,
        settle: Callable[[Session], None] | None = None,
    ):
        super().__init__(reason)
        self.status = status
        self.quiet = quiet  # expected (e.g. no gateway on an offline LAN): logged as info
        # Run by the relay in the transaction that records the failure (e.g. a push
        # subscription the push service says is gone is switched off).
        self.settle = settle


@dataclass(frozen=True)
class Handler:
    """Delivers one kind of message. ``deliver`` returns the HTTP status (or None) on success,
    raises Retry or Fail otherwise. ``provider`` names whom the rate limit ``rate`` is for."""

    kind: str
    deliver: Callable[[OutboxMessage, Config], int | None]
    provider: Callable[[OutboxMessage], str] = lambda message: message.kind
    rate: str = "20/second"


HANDLERS: dict[str, Handler] = {}
# Modules that register handlers when imported (kept here so the relay finds them all).
HANDLER_MODULES: list[str] = [
    "shared.alerts.sending",
    "shared.webhooks.delivery",
    "shared.bpjs.sending",
]


def register(handler: Handler) -> Handler:
    HANDLERS[handler.kind] = handler
    return handler


def load_handlers() -> dict[str, Handler]:
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    return HANDLERS


_CLIENT: httpx.Client | None = None
_CLIENT_LOCK = threading.Lock()


def client() -> httpx.Client:
    """One client for every delivery of this process, made on first use. A new client per
    message (``httpx.post``) builds a TLS context each time, ~0.1 s of CPU: in the embedded
    server's single gevent hub that stalled every request, and the alerts arrived seconds after
    the TV's call (docs/benchmarks.md, "Alerts: before the TV"). It also keeps connections."""
    global _CLIENT
    with _CLIENT_LOCK:
        if _CLIENT is None:
            _CLIENT = httpx.Client(timeout=TIMEOUT)
        return _CLIENT


def post(url: str, *, headers: dict[str, str], content: bytes | None = None, **kw) -> int:
    """POST and classify the answer: 2xx delivered; 408, 429, 5xx and network errors retried;
    any other answer refused for good."""
    try:
        response = client().post(url, headers=headers, content=content, **kw)
    except httpx.HTTPError as error:
        raise Retry(f"{type(error).__name__}: {error}") from error
    status = response.status_code
    if 200 <= status < 300:
        return status
    detail = f"HTTP {status}: {response.text[:200]}"
    if status in (408, 429) or status >= 500:
        after = _retry_after(response)
        raise Retry(detail, status=status, after=after)
    raise Fail(detail, status=status)


def _retry_after(response: httpx.Response) -> timedelta | None:
    value = response.headers.get("Retry-After", "")
    return timedelta(seconds=min(int(value), 3600)) if value.isdigit() else None
