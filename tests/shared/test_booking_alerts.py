"""A booking's confirmation and reminder; the purge of alert phones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from shared import booking, queue
from shared.alerts import subscribe_alerts
from shared.alerts.booking_alerts import alert_booking
from shared.alerts.purge import purge_alert_data
from shared.models import AlertSubscription, OutboxMessage
from tests.shared.test_booking import _service_with_slots

MONDAY = date(2026, 11, 23)
SATURDAY_NOON_WIB = datetime(2026, 11, 21, 5, 0, tzinfo=UTC)  # two days before


def _alerts(session):
    return list(
        session.execute(
            select(OutboxMessage).where(OutboxMessage.kind == "alert").order_by(OutboxMessage.id)
        ).scalars()
    )


def test_a_booking_is_confirmed_now_and_reminded_the_day_before_at_four(session, factory):
    service = _service_with_slots(factory)
    made = booking.book_slot(
        session, service.id, MONDAY, "10:00", phone="0812-3456-7890", now=SATURDAY_NOON_WIB
    )
    alert_booking(session, made, "whatsapp", now=SATURDAY_NOON_WIB)
    session.commit()
    confirmed, reminder = _alerts(session)
    assert confirmed.payload["event"] == "booking_confirmed"
    assert confirmed.payload["to"] == "+6281234567890"
    assert confirmed.payload["link_path"] == f"/kiosk/booking/{made.code}"
    assert confirmed.payload["text"] == (
        f"Booking {made.code} di {factory.mall().name}: {service.name}, "
        "Senin, 23 November 2026 pukul 10:00. Check-in di kiosk dengan kode ini. {link}"
    )
    assert confirmed.not_before == SATURDAY_NOON_WIB
    assert reminder.payload["event"] == "booking_reminder"
    # Sunday 16:00 WIB is 09:00 UTC
    assert reminder.not_before == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert reminder.key == confirmed.key == f"booking:{made.id}"


def test_no_reminder_when_its_time_has_passed_and_english_when_chosen(session, factory):
    service = _service_with_slots(factory)
    sunday_evening = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # 18:00 WIB
    made = booking.book_slot(
        session, service.id, MONDAY, "09:00", phone="081234567890", now=sunday_evening
    )
    alert_booking(session, made, "sms", language="en", now=sunday_evening)
    session.commit()
    [confirmed] = _alerts(session)
    assert "Monday, 23 November 2026 at 09:00" in confirmed.payload["text"]


def _by_event(session):
    """The call's alert, the booking's confirmation and its reminder, whatever their order: a
    call's alert is written at the commit, after the booking's made in the same transaction."""
    found = {message.payload["event"]: message for message in _alerts(session)}
    return found["call"], found["booking_confirmed"], found["booking_reminder"]


def test_cancelling_fails_the_waiting_reminder_and_drops_its_number(session, factory):
    service = _service_with_slots(factory)
    made = booking.book_slot(
        session, service.id, MONDAY, "10:00", phone="081234567890", now=SATURDAY_NOON_WIB
    )
    alert_booking(session, made, "whatsapp", now=SATURDAY_NOON_WIB)
    session.commit()
    confirmed, reminder = _alerts(session)
    confirmed.delivered_at = SATURDAY_NOON_WIB
    session.commit()
    booking.cancel_booking(session, made.code, now=SATURDAY_NOON_WIB + timedelta(hours=1))
    session.commit()
    session.expire_all()
    confirmed, reminder = _alerts(session)
    assert reminder.failed_at is not None and reminder.last_error == "booking cancelled"
    assert reminder.payload["to"] is None
    assert confirmed.failed_at is None and confirmed.payload["to"] == "+6281234567890"


def test_purge_deletes_old_subscriptions_and_blanks_sent_alerts_after_two_days(session, factory):
    service = _service_with_slots(factory)
    counter = factory.counter([service])
    day = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    ticket = queue.issue_ticket(session, service.id, now=day)
    subscribe_alerts(session, ticket, "sms", phone="081234567890", now=day)
    queue.call_next(session, counter, now=day)
    waiting = booking.book_slot(session, service.id, MONDAY + timedelta(days=5), "10:00", now=day)
    alert_booking(session, waiting, "sms", phone="081299998888", now=day)
    session.commit()
    call, confirmed, reminder = _by_event(session)
    call.delivered_at = confirmed.failed_at = day
    session.commit()

    assert purge_alert_data(session, now=day + timedelta(days=1)) == 0  # kept for the alert
    session.commit()
    later = day + timedelta(days=2, minutes=1)
    assert purge_alert_data(session, now=later) == 3  # the subscription, two sent alerts
    session.commit()
    session.expire_all()
    assert session.execute(select(AlertSubscription)).scalars().all() == []
    call, confirmed, reminder = _by_event(session)
    assert call.payload["to"] is None and call.payload["push"] is None
    assert confirmed.payload["to"] is None
    assert reminder.payload["to"] == "+6281299998888"  # not sent yet: still needed
    assert purge_alert_data(session, now=later) == 0  # nothing left to erase


def test_the_purge_s_json_query_works_on_postgresql(pg_url):
    from shared.db import make_engine, make_session_factory
    from shared.outbox import enqueue

    day = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    with make_session_factory(make_engine(pg_url))() as session:
        sent = enqueue(session, "alert", {"to": "+6281234567890", "push": None}, now=day)
        pushed = enqueue(session, "alert", {"to": None, "push": {"endpoint": "x"}}, now=day)
        blank = enqueue(session, "alert", {"to": None, "push": None}, now=day)
        for message in (sent, pushed, blank):
            message.delivered_at = day
        session.commit()
        assert purge_alert_data(session, now=day + timedelta(days=3)) == 2
        session.commit()
        assert [m.payload["to"] for m in _alerts(session)] == [None, None, None]
        assert [m.payload["push"] for m in _alerts(session)] == [None, None, None]
