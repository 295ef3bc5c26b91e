"""Which slots a service offers on a day, and how many places each has left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.booking import errors
from shared.models import Holiday, Mall, Service, SlotTemplate, SlotUsage


@dataclass
class Slot:
    start: str
    end: str
    capacity: int
    booked: int
    bookable: bool

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.booked)


def slot_start(mall: Mall, day: date, start: str) -> datetime:
    """The slot's start as an aware moment in the mall's time zone."""
    hours, minutes = (int(part) for part in start.split(":"))
    return datetime.combine(day, time(hours, minutes), ZoneInfo(mall.timezone))


def check_day(session: Session, mall: Mall, day: date, now: datetime) -> None:
    """Within the booking horizon and not a holiday."""
    today = timeutil.business_date(now, mall.timezone)
    if not today <= day <= today + timedelta(days=mall.booking_horizon_days):
        raise errors.OutsideHorizon(days=mall.booking_horizon_days)
    holiday = session.get(Holiday, day)
    if holiday is not None:
        raise errors.HolidayClosed(day=day.isoformat(), name=holiday.name)


def templates_on(session: Session, service_id: int, day: date) -> list[SlotTemplate]:
    stmt = select(SlotTemplate).where(
        SlotTemplate.service_id == service_id, SlotTemplate.weekday == day.weekday()
    )
    return list(session.execute(stmt.order_by(SlotTemplate.start)).scalars())


def list_slots(
    session: Session, mall: Mall, service: Service, day: date, now: datetime
) -> list[Slot]:
    """The day's slots with their places left; a slot that has started is not bookable."""
    check_day(session, mall, day, now)
    used = dict(
        session.execute(
            select(SlotUsage.start, SlotUsage.booked).where(
                SlotUsage.service_id == service.id, SlotUsage.day == day
            )
        ).all()
    )
    slots = []
    for template in templates_on(session, service.id, day):
        booked = used.get(template.start, 0)
        started = slot_start(mall, day, template.start) <= now
        bookable = service.active and not started and booked < template.capacity
        slots.append(Slot(template.start, template.end, template.capacity, booked, bookable))
    return slots


def bookable_days(session: Session, mall: Mall, service: Service, now: datetime) -> list[date]:
    """Days within the horizon that are not holidays and have slots for the service."""
    today = timeutil.business_date(now, mall.timezone)
    weekdays = set(
        session.execute(
            select(SlotTemplate.weekday).where(SlotTemplate.service_id == service.id)
        ).scalars()
    )
    horizon = [today + timedelta(days=n) for n in range(mall.booking_horizon_days + 1)]
    holidays = set(session.execute(select(Holiday.day).where(Holiday.day.in_(horizon))).scalars())
    return [d for d in horizon if d.weekday() in weekdays and d not in holidays]


def bookable_services(session: Session) -> list[Service]:
    """Active services that have at least one slot template."""
    stmt = (
        select(Service)
        .where(Service.active, Service.id.in_(select(SlotTemplate.service_id)))
        .order_by(Service.agency_id, Service.display_order)
    )
    return list(session.execute(stmt).scalars())
