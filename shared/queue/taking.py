"""Taking a ticket with an idempotency key, telling a new ticket from a repeated request."""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from shared.db import is_postgres
from shared.models import Kiosk, Ticket
from shared.queue.issuing import issue_ticket
from shared.queue.ordering import REGULAR
from shared.sql import plain_rows

# Built once: every tap asks. Only the id: nearly every tap finds none, and a repeated one then
# loads its ticket by id.
_BY_KEY = select(Ticket.id).where(Ticket.idempotency_key == bindparam("key"))
_LOCK_KEY = select(func.pg_advisory_xact_lock(func.hashtext(bindparam("key"))))


def device_key(kiosk: Kiosk | None, client: str, key: str) -> str:
    """The key as stored: the client's key scoped to its kiosk and client (SHA-256, 64 hex).

    A key is unique only per device, so another kiosk (or another browser on the demo kiosk)
    sending the same key gets its own ticket, never the first one's.
    """
    scope = f"{kiosk.id if kiosk is not None else 0}\n{client}\n{key}"
    return hashlib.sha256(scope.encode()).hexdigest()


def take_ticket(
    session: Session,
    service_id: int,
    *,
    idempotency_key: str,
    priority: str = REGULAR,
    kiosk: Kiosk | None = None,
    client: str = "",
    source: str = "kiosk",
    payer: str | None = None,
    doctor_session_id: int | None = None,
    printer: bool = True,
) -> tuple[Ticket, bool]:
    """(ticket, created): the ticket this key already made, or a new one from ``issue_ticket``.

    ``client`` separates clients that share one kiosk record (the demo kiosk's browsers). The
    caller prints only a created ticket, so a double tap never prints twice either.
    ``printer`` False: the kiosk has no printer (``shared.printing.has_printer``).
    """
    idempotency_key = device_key(kiosk, client, idempotency_key)
    if is_postgres(session):
        # SQLite's BEGIN IMMEDIATE already serialises writers; on PostgreSQL a second request
        # with this key waits here until the first commits, then finds its ticket.
        plain_rows(session, _LOCK_KEY, {"key": idempotency_key}).all()
    existing = plain_rows(session, _BY_KEY, {"key": idempotency_key}).scalar_one_or_none()
    if existing is not None:
        return session.get(Ticket, existing), False
    ticket = issue_ticket(
        session,
        service_id,
        priority=priority,
        source=source,
        kiosk=kiosk,
        idempotency_key=idempotency_key,
        payer=payer,
        doctor_session_id=doctor_session_id,
        printer=printer,
    )
    return ticket, True
