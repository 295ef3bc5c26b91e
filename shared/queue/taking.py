"""Taking a ticket with an idempotency key, telling a new ticket from a repeated request."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import is_postgres
from shared.models import Kiosk, Ticket
from shared.queue.issuing import issue_ticket
from shared.queue.ordering import REGULAR


def take_ticket(
    session: Session,
    service_id: int,
    *,
    idempotency_key: str,
    priority: str = REGULAR,
    kiosk: Kiosk | None = None,
    source: str = "kiosk",
) -> tuple[Ticket, bool]:
    """(ticket, created): the ticket this key already made, or a new one from ``issue_ticket``.

    The caller prints only a created ticket, so a double tap never prints twice either.
    """
    if is_postgres(session):
        # The same lock issue_ticket takes (re-entrant within the transaction): a second request
        # with this key waits here until the first commits, then finds its ticket.
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(idempotency_key))))
    existing = session.execute(
        select(Ticket).where(Ticket.idempotency_key == idempotency_key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing, False
    ticket = issue_ticket(
        session,
        service_id,
        priority=priority,
        source=source,
        kiosk=kiosk,
        idempotency_key=idempotency_key,
    )
    return ticket, True
