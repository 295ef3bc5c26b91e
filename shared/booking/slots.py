"""Which slots a service offers on a day, and how many places each has left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.booking import errors
from shared.models import (
    Doctor,
    DoctorSchedule,
    Holiday,
    Service,
    Site,
    SlotTemplate,
    SlotUsage,
)


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


def slot_start(site: Site, day: date, start: str) -> datetime:
    """The slot's start as an aware moment in the site's time zone."""
    hours, minutes = (int(part) for part in start.split(":"))
    return datetime.combine(day, time(hours, minutes), ZoneInfo(site.timezone))


def _holiday_of(site: Site):
    """A holiday of this site, or of every site (no site: a national tanggal merah)."""
    return or_(Holiday.site_id == site.id, Holiday.site_id.is_(None))


def check_day(session: Session, site: Site, day: date, now: datetime) -> None:
    """Within the booking horizon and not a holiday."""
    today = timeutil.business_date(now, site.timezone)
    if not today <= day <= today + timedelta(days=site.booking_horizon_days):
        raise errors.OutsideHorizon(days=site.booking_horizon_days)
    holiday = session.execute(
        select(Holiday).where(Holiday.day == day, _holiday_of(site)).limit(1)
    ).scalar_one_or_none()
    if holiday is not None:
        raise errors.HolidayClosed(day=day.isoformat(), name=holiday.name)


def templates_on(session: Session, service_id: int, day: date) -> list[SlotTemplate]:
    stmt = select(SlotTemplate).where(
        SlotTemplate.service_id == service_id, SlotTemplate.weekday == day.weekday()
    )
    return list(session.execute(stmt.order_by(SlotTemplate.start)).scalars())


def list_slots(
    session: Session, site: Site, service: Service, day: date, now: datetime
) -> list[Slot]:
    """The day's slots with their places left; a slot that has started is not bookable."""
    check_day(session, site, day, now)
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
        started = slot_start(site, day, template.start) <= now
        bookable = service.active and not started and booked < template.capacity
        slots.append(Slot(template.start, template.end, template.capacity, booked, bookable))
    return slots


def bookable_days(session: Session, site: Site, service: Service, now: datetime) -> list[date]:
    """Days within the horizon that are not holidays and have slots for the service; today only
    while one of its slots is still to start."""
    today = timeutil.business_date(now, site.timezone)
    weekdays = set(
        session.execute(
            select(SlotTemplate.weekday)
            .where(SlotTemplate.service_id == service.id)
            .union(_doctor_weekdays(service.id))
        ).scalars()
    )
    horizon = [today + timedelta(days=n) for n in range(site.booking_horizon_days + 1)]
    holidays = set(
        session.execute(
            select(Holiday.day).where(Holiday.day.in_(horizon), _holiday_of(site))
        ).scalars()
    )
    days = [d for d in horizon if d.weekday() in weekdays and d not in holidays]
    if days and days[0] == today and not _bookable_later_today(session, site, service, now):
        days.pop(0)  # offered, it would show only slots that have started
    return days


def _bookable_later_today(session: Session, site: Site, service: Service, now: datetime) -> bool:
    """Whether one of today's slots starts after ``now``. A doctor's day stays offered: which of
    its sessions are still held is the slots page's to say (doctors.py)."""
    today = timeutil.business_date(now, site.timezone)
    if today.weekday() in set(session.execute(_doctor_weekdays(service.id)).scalars()):
        return True
    return any(
        slot_start(site, today, t.start) > now for t in templates_on(session, service.id, today)
    )


def _doctor_weekdays(service_id: int):
    """The weekdays on which the poli's active doctors practise (a session can be booked)."""
    return (
        select(DoctorSchedule.weekday)
        .join(Doctor, Doctor.id == DoctorSchedule.doctor_id)
        .where(Doctor.service_id == service_id, Doctor.active.is_(True))
    )


def bookable_services(session: Session, site: Site) -> list[Service]:
    """The site's active services that have a slot template or a doctor with practice hours."""
    doctored = select(Doctor.service_id).join(DoctorSchedule, DoctorSchedule.doctor_id == Doctor.id)
    stmt = (
        select(Service)
        .where(
            Service.site_id == site.id,
            Service.active,
            or_(
                Service.id.in_(select(SlotTemplate.service_id)),
                Service.id.in_(doctored.where(Doctor.active.is_(True))),
            ),
        )
        .order_by(Service.agency_id, Service.display_order)
    )
    return list(session.execute(stmt).scalars())
