"""Writing messages with the change, and the relay's side of the table: claim, settle, retry.

``enqueue`` only adds a row to the caller's session: the change's own commit writes it, and a
rollback takes it away. Claiming is a short transaction of its own that leases due rows
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several relays share the table; SQLite's
``BEGIN IMMEDIATE`` serialises claims); delivery happens outside any transaction.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from shared.db import is_postgres
from shared.models import OutboxMessage

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 12  # about a day of backoff: 5 s, 10 s, 20 s … capped at an hour
_ENQUEUED = "outbox.enqueued"


def enqueue(
    session: Session,
    kind: str,
    payload: dict,
    *,
    site_id: int | None = None,
    key: str | None = None,
    ref: tuple[str, int] | None = None,
    not_before: datetime | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """A message to deliver once this transaction commits (never, if it rolls back)."""
    message = OutboxMessage(
        uid=uuid.uuid4().hex,
        kind=kind,
        site_id=site_id,
        key=key,
        payload=payload,
        ref_type=ref[0] if ref else None,
        ref_id=ref[1] if ref else None,
        attempts=0,
        last_error="",
    )
    if now is not None:
        message.created_at = now
        message.not_before = not_before or now
    elif not_before is not None:
        message.not_before = not_before
    session.add(message)
    session.info[_ENQUEUED] = True
    return message


def enqueued(session: Session) -> bool:
    """Whether this transaction wrote a message (the relay is woken after its commit)."""
    return bool(session.info.get(_ENQUEUED))


def forget_enqueued(session: Session) -> None:
    session.info.pop(_ENQUEUED, None)


def _due(now: datetime, kinds: tuple[str, ...] | None):
    older = aliased(OutboxMessage)
    blocked = exists().where(
        older.key == OutboxMessage.key,
        older.id < OutboxMessage.id,
        older.delivered_at.is_(None),
        older.failed_at.is_(None),
    )
    conditions = [
        OutboxMessage.delivered_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.not_before <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        or_(OutboxMessage.key.is_(None), ~blocked),
    ]
    if kinds:
        conditions.append(OutboxMessage.kind.in_(kinds))
    return and_(*conditions)


def claim(
    session: Session, now: datetime, *, limit: int = 20, kinds: tuple[str, ...] | None = None
) -> list[OutboxMessage]:
    """Lease up to ``limit`` due messages, oldest first, and commit the lease."""
    stmt = select(OutboxMessage.id).where(_due(now, kinds)).order_by(OutboxMessage.id).limit(limit)
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True, of=OutboxMessage)
    ids = list(session.execute(stmt).scalars())
    if not ids:
        session.commit()
        return []
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(claimed_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    rows = session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).scalars()
    return list(rows)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s, … up to an hour, with a little jitter so retries do not march together."""
    seconds = min(3600.0, 5.0 * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


def mark_delivered(
    session: Session, message_id: int, now: datetime, status: int | None = None
) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(delivered_at=now, claimed_until=None, last_status=status, last_error="")
        .execution_options(synchronize_session=False)
    )


def mark_retry(
    session: Session,
    message: OutboxMessage,
    now: datetime,
    error: str,
    *,
    status: int | None = None,
    permanent: bool = False,
    after: timedelta | None = None,
) -> None:
    """Try again later with backoff, or give up (permanent, or too many attempts)."""
    give_up = permanent or message.attempts >= MAX_ATTEMPTS
    values = {"claimed_until": None, "last_error": error[:500], "last_status": status}
    if give_up:
        values["failed_at"] = now
    else:
        values["not_before"] = now + (after or backoff(message.attempts))
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def postpone(session: Session, message: OutboxMessage, until: datetime) -> None:
    """Not an attempt (a rate limit said wait): give the attempt back and come back later."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(claimed_until=None, not_before=until, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )


def replay(session: Session, message: OutboxMessage, now: datetime) -> None:
    """Deliver again (an admin's replay, or a failed message retried): same uid, fresh attempts."""
    message.failed_at = None
    message.delivered_at = None
    message.claimed_until = None
    message.attempts = 0
    message.not_before = now
    session.info[_ENQUEUED] = True
