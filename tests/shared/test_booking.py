"""Online booking: slots, the horizon, atomic capacity, the check-in window, purge."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from shared import booking, queue
from shared.booking import errors
from shared.db import make_engine, make_session_factory
from shared.models import Booking, Holiday, SlotTemplate
from tests.factories import Factory

MONDAY = date(2026, 11, 23)
# 07:00 WIB on Monday: before the day's slots.
MORNING = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
NINE_WIB = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _service_with_slots(factory: Factory, capacity: int = 3, **fields):
    service = factory.service(**fields)
    factory.counter([service])
    for weekday in range(7):
        factory.session.add_all(
            [
                SlotTemplate(
                    service=service, weekday=weekday, start="09:00", end="09:30", capacity=capacity
                ),
                SlotTemplate(
                    service=service, weekday=weekday, start="10:00", end="10:30", capacity=capacity
                ),
            ]
        )
    factory.session.flush()
    return service


def test_slots_show_places_left_and_close_when_started(session, factory):
    service = _service_with_slots(factory, capacity=2)
    booking.book_slot(session, service.id, MONDAY, "10:00", now=MORNING)
    mall = factory.mall()
    at_half_nine = NINE_WIB + timedelta(minutes=30)
    slots = booking.list_slots(session, mall, service, MONDAY, at_half_nine)
    assert [(s.start, s.left, s.bookable) for s in slots] == [
        ("09:00", 2, False),
        ("10:00", 1, True),
    ]
    with pytest.raises(errors.SlotPassed):
        booking.book_slot(session, service.id, MONDAY, "09:00", now=at_half_nine)


def test_today_is_offered_only_while_one_of_its_slots_is_to_start(session, factory):
    """A citizen choosing a day after the day's last slot has started would find only closed
    slots: today leaves the list then, the next days stay."""
    service = _service_with_slots(factory)
    mall = factory.mall()
    tomorrow = MONDAY + timedelta(days=1)
    for at, offered in (
        (MORNING, True),
        (NINE_WIB + timedelta(minutes=59), True),  # 09:59 WIB: 10:00 still to start
        (NINE_WIB + timedelta(hours=1), False),  # 10:00 WIB: the last one starts
        (NINE_WIB + timedelta(hours=5), False),
    ):
        days = booking.bookable_days(session, mall, service, at)
        assert (MONDAY in days, tomorrow in days) == (offered, True), at
        assert len(days) == mall.booking_horizon_days + offered, at


def test_horizon_holidays_and_unknown_slots(session, factory):
    service = _service_with_slots(factory)
    mall = factory.mall()
    with pytest.raises(errors.OutsideHorizon):
        booking.book_slot(session, service.id, MONDAY + timedelta(days=8), "09:00", now=MORNING)
    with pytest.raises(errors.OutsideHorizon):
        booking.book_slot(session, service.id, MONDAY - timedelta(days=1), "09:00", now=MORNING)
    session.add(Holiday(day=MONDAY + timedelta(days=2), name="Hari Guru"))
    with pytest.raises(errors.HolidayClosed):
        booking.book_slot(session, service.id, MONDAY + timedelta(days=2), "09:00", now=MORNING)
    with pytest.raises(errors.UnknownSlot):
        booking.book_slot(session, service.id, MONDAY, "11:00", now=MORNING)
    with pytest.raises(errors.InvalidContact):
        booking.book_slot(session, service.id, MONDAY, "09:00", phone="12ab", now=MORNING)
    assert mall.booking_horizon_days == 7


def test_full_slot_refuses_and_cancel_gives_the_place_back(session_factory, session, factory):
    service = _service_with_slots(factory, capacity=1)
    session.commit()
    first = booking.book_slot(session, service.id, MONDAY, "09:00", name="Siti", now=MORNING)
    session.commit()
    with session_factory() as other:
        with pytest.raises(errors.SlotFull):
            booking.book_slot(other, service.id, MONDAY, "09:00", now=MORNING)
        other.rollback()
    booking.cancel_booking(session, first.code.lower(), now=MORNING)
    session.commit()
    again = booking.book_slot(session, service.id, MONDAY, "09:00", now=MORNING)
    assert again.status == Booking.BOOKED


@pytest.mark.parametrize(
    ("offset", "outcome"),
    [
        (timedelta(minutes=-30, seconds=-1), errors.BookingTooEarly),
        (timedelta(minutes=-30), None),
        (timedelta(minutes=15), None),
        (timedelta(minutes=15, seconds=1), errors.BookingTooLate),
    ],
)
def test_check_in_window_edges(session, factory, offset, outcome):
    service = _service_with_slots(factory)
    made = booking.book_slot(session, service.id, MONDAY, "09:00", now=MORNING)
    moment = NINE_WIB + offset
    if outcome is not None:
        with pytest.raises(outcome):
            booking.check_in_booking(session, made.code, now=moment)
        return
    ticket = booking.check_in_booking(session, made.code, now=moment)
    assert (ticket.source, ticket.status, made.status) == ("booking", "waiting", "checked_in")


def test_check_in_refuses_other_days_second_use_and_cancelled(session, factory):
    service = _service_with_slots(factory)
    tomorrow = booking.book_slot(
        session, service.id, MONDAY + timedelta(days=1), "09:00", now=MORNING
    )
    with pytest.raises(errors.BookingWrongDay):
        booking.check_in_booking(session, tomorrow.code, now=NINE_WIB)
    today = booking.book_slot(session, service.id, MONDAY, "09:00", now=MORNING)
    booking.check_in_booking(session, today.code, now=NINE_WIB)
    with pytest.raises(errors.BookingUsed):
        booking.check_in_booking(session, today.code, now=NINE_WIB)
    with pytest.raises(errors.BookingUsed):
        booking.cancel_booking(session, today.code, now=NINE_WIB)
    cancelled = booking.book_slot(session, service.id, MONDAY, "10:00", now=MORNING)
    booking.cancel_booking(session, cancelled.code, now=MORNING)
    with pytest.raises(errors.BookingCancelled):
        booking.check_in_booking(session, cancelled.code, now=NINE_WIB + timedelta(hours=1))
    with pytest.raises(errors.BookingNotFound):
        booking.check_in_booking(session, "NOSUCH22", now=NINE_WIB)


@pytest.mark.parametrize("placement", ["front", "slot_time"])
def test_booked_citizen_is_served_ahead_of_walk_ins(session, factory, placement):
    service = _service_with_slots(factory, booking_placement=placement)
    counter = service.counters[0]
    walk_in_early = queue.issue_ticket(session, service.id, now=NINE_WIB - timedelta(minutes=40))
    walk_in_late = queue.issue_ticket(session, service.id, now=NINE_WIB - timedelta(minutes=5))
    made = booking.book_slot(session, service.id, MONDAY, "09:00", now=MORNING)
    booked = booking.check_in_booking(session, made.code, now=NINE_WIB - timedelta(minutes=10))
    order = [t.id for t in queue.service_order(session, service, MONDAY)]
    if placement == "front":
        assert order == [booked.id, walk_in_early.id, walk_in_late.id]
    else:  # as if queued at 09.00: after both walk-ins who came before it
        assert order == [walk_in_early.id, walk_in_late.id, booked.id]
    assert queue.call_next(session, counter, now=NINE_WIB).id == order[0]


def test_personal_data_is_purged_after_retention(session, factory):
    service = _service_with_slots(factory)
    mall = factory.mall()
    old = booking.book_slot(
        session, service.id, MONDAY, "09:00", name="Budi", phone="081234567890", now=MORNING
    )
    recent = booking.book_slot(
        session,
        service.id,
        MONDAY + timedelta(days=1),
        "09:00",
        name="Ani",
        phone="+6281234567",
        now=MORNING,
    )
    later = MORNING + timedelta(days=mall.booking_retention_days + 1)
    assert booking.purge_booking_data(session, now=later) == 1
    session.refresh(old)
    session.refresh(recent)
    assert (old.name, old.phone, old.purged_at) == (None, None, later)
    assert (recent.name, recent.phone) == ("Ani", "+6281234567")
    assert booking.purge_booking_data(session, now=later) == 0


def _race_bookings(url: str) -> int:
    engine = make_engine(url)
    factory_ = make_session_factory(engine)
    with factory_() as session:
        service = _service_with_slots(Factory(session), capacity=10)
        session.commit()
        service_id = service.id
    start = threading.Barrier(50)
    outcomes: list[str] = []

    def attempt():
        start.wait(30)
        with factory_() as session:
            try:
                booking.book_slot(session, service_id, MONDAY, "09:00", now=MORNING)
                session.commit()
                outcomes.append("booked")
            except errors.SlotFull:
                session.rollback()
                outcomes.append("full")

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with factory_() as session:
        stored = session.query(Booking).filter_by(service_id=service_id).count()
    engine.dispose()
    assert sorted(outcomes).count("booked") == 10 and len(outcomes) == 50
    return stored


@pytest.mark.slow
def test_fifty_concurrent_bookings_for_ten_places_on_sqlite(db_url):
    assert _race_bookings(db_url) == 10


@pytest.mark.slow
@pytest.mark.postgres
def test_fifty_concurrent_bookings_for_ten_places_on_postgresql(pg_url):
    assert _race_bookings(pg_url) == 10


def _race_check_ins(url: str) -> tuple[list[str], int]:
    """Eight check-ins of one booking at once: one ticket, the others "already used"."""
    from shared.models import Ticket

    engine = make_engine(url)
    factory_ = make_session_factory(engine)
    with factory_() as session:
        service = _service_with_slots(Factory(session))
        made = booking.book_slot(session, service.id, MONDAY, "09:00", now=MORNING)
        session.commit()
        code, service_id = made.code, service.id
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def attempt():
        start.wait(30)
        with factory_() as session:
            try:
                booking.check_in_booking(session, code, now=NINE_WIB)
                session.commit()
                outcomes.append("ticket")
            except errors.BookingUsed:
                session.rollback()
                outcomes.append("used")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with factory_() as session:
        stored = session.query(Ticket).filter_by(service_id=service_id).count()
    engine.dispose()
    return sorted(outcomes), stored


@pytest.mark.slow
def test_concurrent_check_ins_give_one_ticket_on_sqlite(db_url):
    assert _race_check_ins(db_url) == (["ticket"] + ["used"] * 7, 1)


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_check_ins_give_one_ticket_on_postgresql(pg_url):
    assert _race_check_ins(pg_url) == (["ticket"] + ["used"] * 7, 1)
