"""The relay: claim due messages, deliver them (concurrently, outside any transaction), settle.

One relay runs inside the embedded server, woken right after a commit that wrote a message;
in the scale-out, ``antre outbox work`` processes poll the table and share it safely. Rate limits
per provider come from the ``limits`` library (in memory, or in Redis so that every relay
shares one budget).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from shared import timeutil
from shared.config import Config
from shared.models import OutboxMessage
from shared.outbox import store
from shared.outbox.delivery import Fail, Handler, Retry, load_handlers

log = logging.getLogger(__name__)
WAKE = threading.Event()


@event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    if store.enqueued(session):
        store.forget_enqueued(session)
        WAKE.set()


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous) -> None:
    store.forget_enqueued(session)


def rate_storage_for(config: Config) -> str:
    """Redis when the installation has one (every relay then shares each provider's budget)."""
    return config.message_queue if config.message_queue.startswith("redis") else "memory://"


class Relay:
    def __init__(
        self,
        session_factory: sessionmaker,
        config: Config,
        *,
        handlers: dict[str, Handler] | None = None,
        rate_storage: str = "memory://",
        batch: int = 20,
        workers: int = 8,
    ) -> None:
        self.session_factory = session_factory
        self.config = config
        self.handlers = handlers if handlers is not None else load_handlers()
        self.limiter = MovingWindowRateLimiter(storage_from_string(rate_storage))
        self.batch = batch
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox")

    def _attempt(self, message: OutboxMessage) -> tuple[str, object]:
        handler = self.handlers.get(message.kind)
        if handler is None:
            return "fail", Fail(f"no handler for {message.kind!r}")
        if not self.limiter.hit(parse(handler.rate), handler.provider(message)):
            return "later", None
        try:
            return "ok", handler.deliver(message, self.config)
        except (Retry, Fail) as outcome:
            return "retry" if isinstance(outcome, Retry) else "fail", outcome
        except Exception as error:  # a handler's bug must not stop the relay: retried, logged
            log.exception("outbox %s %s: handler failed", message.kind, message.uid)
            return "retry", Retry(f"{type(error).__name__}: {error}")

    def run_once(self, now: datetime | None = None) -> int:
        """Claim one batch and settle every message in it; how many were claimed."""
        given, now = now, now or timeutil.now_utc()
        with self.session_factory() as session:
            messages = store.claim(session, now, limit=self.batch, kinds=tuple(self.handlers))
            session.expunge_all()
        if not messages:
            return 0
        outcomes = list(self.pool.map(self._attempt, messages))
        settled = given or timeutil.now_utc()
        with self.session_factory() as session:
            for message, (verdict, detail) in zip(messages, outcomes, strict=True):
                self._settle(session, message, verdict, detail, settled)
            session.commit()
        return len(messages)

    def _settle(self, session, message, verdict: str, detail, now: datetime) -> None:
        if verdict == "ok":
            store.mark_delivered(session, message.id, now, status=detail)
        elif verdict == "later":
            store.postpone(session, message, now + timedelta(seconds=1))
        else:
            permanent = verdict == "fail"
            if permanent and getattr(detail, "settle", None) is not None:
                try:  # in a savepoint: its failure must not undo the batch's other outcomes
                    with session.begin_nested():
                        detail.settle(session)
                except Exception:
                    log.exception("outbox %s %s: settling the failure", message.kind, message.uid)
            store.mark_retry(
                session,
                message,
                now,
                str(detail),
                status=getattr(detail, "status", None),
                permanent=permanent,
                after=getattr(detail, "after", None),
            )
            log.warning(
                "outbox %s %s attempt %d: %s%s",
                message.kind,
                message.uid,
                message.attempts,
                detail,
                " (given up)" if permanent or message.attempts >= store.MAX_ATTEMPTS else "",
            )

    def run_forever(self, stop: threading.Event, poll_seconds: float) -> None:
        """Deliver until ``stop``; between empty rounds, wait for a wake-up or ``poll_seconds``."""
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # e.g. the database restarting: logged, tried again shortly
                log.exception("outbox relay round failed")
                busy = 0
            if not busy:
                WAKE.wait(poll_seconds)
                WAKE.clear()
