"""Personal data in webhook messages (a booking's name and phone, only for a webhook whose admin
ticked it) is erased by the daily purge, like the booking's own, after the site's retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from shared.models import OutboxMessage, Site
from shared.webhooks.record import KIND


def erase_personal(session: Session, site: Site, now: datetime) -> int:
    """Drop ``data.personal`` from the site's webhook messages older than its retention."""
    cutoff = now - timedelta(days=site.booking_retention_days)
    rows = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.kind == KIND,
            OutboxMessage.site_id == site.id,
            OutboxMessage.created_at < cutoff,
            cast(OutboxMessage.payload, String).like('%"personal"%'),
        )
    ).scalars()
    count = 0
    for message in rows:
        data = dict(message.payload.get("data") or {})
        if data.pop("personal", None) is not None:
            message.payload = {**message.payload, "data": data}  # a new dict: a change to save
            count += 1
    session.flush()
    return count
