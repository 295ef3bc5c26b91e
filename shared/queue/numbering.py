"""Ticket numbers: per service per business day, from 1, without gaps, never twice."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import sql
from shared.models import Service, TicketSequence


def next_number(session: Session, service_id: int, day: date) -> int:
    """Advance the service's counter row for ``day`` atomically and return the new number.

    A rollback (say the quota check that follows fails) gives the number back, so numbers stay
    gapless; the unique constraint on (service, date, number) is the last line of defence.
    """
    keys = {"service_id": service_id, "business_date": day}
    return sql.increment(session, TicketSequence.__table__, keys, "last_number")


def numbers_given(session: Session, service_id: int, day: date) -> int:
    stmt = select(TicketSequence.last_number).where(
        TicketSequence.service_id == service_id, TicketSequence.business_date == day
    )
    return session.execute(stmt).scalar_one_or_none() or 0


def display_number(prefix: str, number: int) -> str:
    """``A-017``: the prefix, a dash, at least three digits."""
    return f"{prefix}-{number:03d}"


def new_public_code() -> str:
    """An unguessable code for the ticket's public link: 72 random bits in 12 URL-safe chars.

    A collision (odds about 2^-72 per pair) would hit the unique constraint, not a wrong ticket.
    """
    return secrets.token_urlsafe(9)


def quota_left(service: Service, given: int) -> int | None:
    if service.daily_quota is None:
        return None
    return max(0, service.daily_quota - given)
