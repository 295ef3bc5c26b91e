"""A booking's WhatsApp/SMS alerts: the confirmation now, a reminder the day before at 16:00.

Both are outbox messages written with the booking (shared/outbox), keyed per booking so the
reminder never overtakes the confirmation. Cancelling the booking fails the reminder still
waiting, with the reason "booking cancelled", and blanks its number at once: the row stays for
the admin's outbox page, the phone does not.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.alerts.subscriptions import normalise_phone
from shared.alerts.texts import render, template
from shared.models import Booking, OutboxMessage
from shared.outbox import enqueue
from shared.queue.sites import site_of_service

KIND = "alert"
REMINDER_AT = time(16, 0)  # the afternoon before: late enough to be fresh, early enough to plan
CANCELLED = "booking cancelled"


def reminder_time(booking: Booking, tz: str) -> datetime:
    """16:00 in the site's zone on the day before the booking."""
    return datetime.combine(booking.day - timedelta(days=1), REMINDER_AT, ZoneInfo(tz))


def _payload(session, booking: Booking, key: str, channel: str, phone: str, language: str):
    site = site_of_service(session, booking.service)
    text = render(
        template(session, site.id, key, language),
        code=booking.code,
        date=timeutil.long_date(booking.day, "en" if language == "en" else "id"),
        time=booking.start,
        service=booking.service.name,
        site=site.name,
    )
    return site, {
        "event": key,
        "channel": channel,
        "to": phone,
        "push": None,
        "text": text,
        "ticket": booking.code,
        "link_path": f"/kiosk/booking/{booking.code}",
        "language": language,
    }


def alert_booking(
    session: Session,
    booking: Booking,
    channel: str,
    *,
    phone: str | None = None,
    language: str = "id",
    now: datetime | None = None,
) -> list[OutboxMessage]:
    """Queue the confirmation, and the reminder if its time is still ahead; flush, no commit."""
    now = now or timeutil.now_utc()
    phone = normalise_phone(phone if phone is not None else booking.phone)
    language = "en" if language == "en" else "id"
    written = []
    for key in ("booking_confirmed", "booking_reminder"):
        site, payload = _payload(session, booking, key, channel, phone, language)
        when = now if key == "booking_confirmed" else reminder_time(booking, site.timezone)
        if when <= now and key == "booking_reminder":
            continue  # booked for tomorrow after 16:00, or today: the confirmation is enough
        written.append(
            enqueue(
                session,
                KIND,
                payload,
                site_id=site.id,
                key=f"booking:{booking.id}",
                ref=("booking", booking.id),
                not_before=when,
                now=now,
            )
        )
    session.flush()
    return written


def cancel_booking_alerts(session: Session, booking: Booking, now: datetime) -> int:
    """The booking's alerts not yet sent are failed ("booking cancelled") and lose the number."""
    waiting = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.ref_type == "booking",
            OutboxMessage.ref_id == booking.id,
            OutboxMessage.kind == KIND,
            OutboxMessage.delivered_at.is_(None),
            OutboxMessage.failed_at.is_(None),
        )
    ).scalars()
    count = 0
    for message in waiting:
        message.failed_at = now
        message.last_error = CANCELLED
        message.payload = {**message.payload, "to": None}
        count += 1
    session.flush()
    return count
