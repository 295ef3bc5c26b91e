"""The relay: claim due messages, deliver them (concurrently, outside any transaction), settle.

One relay runs inside the embedded server (in its own OS thread), woken right after a commit
that wrote a message; in the scale-out, ``antre outbox work`` processes poll the table and share
it safely. Each message is settled as soon as its own delivery ends, and ``run_forever`` keeps
claiming while others are in flight, so a slow receiver never holds back the next alert. Rate
limits per provider come from the ``limits`` library (in memory, or in Redis so that every relay
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
from shared.outbox.wake import WAKER

log = logging.getLogger(__name__)


def install_wake(factory: sessionmaker) -> None:
    """Wake this process's relay after a commit that wrote a message (shared.session_hooks)."""
    event.listen(factory, "after_commit", _wake_relay)
    event.listen(factory, "after_soft_rollback", _forget)


def _wake_relay(session: Session) -> None:
    if store.enqueued(session):
        store.forget_enqueued(session)
        WAKER.wake()


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
        self.workers = workers
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

    def _claim(self, now: datetime, limit: int) -> list[OutboxMessage]:
        with self.session_factory() as session:
            messages = store.claim(session, now, limit=limit, kinds=tuple(self.handlers))
            session.expunge_all()
        return messages

    def _deliver(self, message: OutboxMessage, now: datetime | None) -> None:
        """Deliver one message and record its outcome at once, in a transaction of its own."""
        verdict, detail = self._attempt(message)
        try:
            with self.session_factory() as session:
                self._settle(session, message, verdict, detail, now or timeutil.now_utc())
                session.commit()
        except Exception:  # the lease runs out and the message is sent again: at least once
            log.exception("outbox %s %s: outcome not recorded", message.kind, message.uid)

    def run_once(self, now: datetime | None = None) -> int:
        """Claim one batch and settle every message in it; how many were claimed."""
        messages = self._claim(now or timeutil.now_utc(), self.batch)
        for future in [self.pool.submit(self._deliver, m, now) for m in messages]:
            future.result()
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
            quiet = getattr(detail, "quiet", False)
            (log.info if quiet else log.warning)(
                "outbox %s %s attempt %d: %s%s",
                message.kind,
                message.uid,
                message.attempts,
                detail,
                " (given up)" if permanent or message.attempts >= store.MAX_ATTEMPTS else "",
            )

    def run_forever(self, stop: threading.Event, poll_seconds: float) -> None:
        """Deliver until ``stop``: claim as many as there are free workers, hand each to one,
        and wait for a wake-up (a commit, a finished delivery) or ``poll_seconds``."""
        in_flight: set = set()
        while not stop.is_set():
            in_flight = {f for f in in_flight if not f.done()}
            free = self.workers - len(in_flight)
            claimed: list[OutboxMessage] = []
            if free > 0:
                try:
                    claimed = self._claim(timeutil.now_utc(), min(free, self.batch))
                except Exception:  # e.g. the database restarting: logged, tried again shortly
                    log.exception("outbox relay could not claim")
            for message in claimed:
                future = self.pool.submit(self._deliver, message, None)
                future.add_done_callback(lambda _f: WAKER.wake())
                in_flight.add(future)
            if not claimed:
                WAKER.wait(poll_seconds)
