"""The daily purge's part for alerts: phones and push subscriptions are kept only for the alert.

- A subscription past its ``erase_after`` day (in its site's zone) is deleted.
- An alert in the outbox, delivered or failed more than two days ago, loses its "to" and "push"
  (the row stays, for the admin's delivery log, without the personal data).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import AlertSubscription, OutboxMessage, Site

KEEP_SENT = timedelta(days=2)


def purge_alert_data(session: Session, *, now: datetime | None = None) -> int:
    """How many subscriptions and outbox rows lost their personal data; flush, no commit."""
    now = now or timeutil.now_utc()
    count = 0
    for site in session.execute(select(Site)).scalars().all():
        today = timeutil.business_date(now, site.timezone)
        result = session.execute(
            delete(AlertSubscription)
            .where(AlertSubscription.site_id == site.id, AlertSubscription.erase_after < today)
            .execution_options(synchronize_session=False)
        )
        count += result.rowcount
    cutoff = now - KEEP_SENT
    sent = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.kind == "alert",
            OutboxMessage.created_at < cutoff,
            or_(OutboxMessage.delivered_at.is_not(None), OutboxMessage.failed_at.is_not(None)),
            or_(
                OutboxMessage.payload["to"].as_string().is_not(None),
                OutboxMessage.payload["push"].as_string().is_not(None),
            ),
        )
    ).scalars()
    for message in sent:
        message.payload = {**message.payload, "to": None, "push": None}
        count += 1
    session.flush()
    return count
