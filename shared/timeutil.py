"""The mall's own clock: business dates, opening hours and zone names (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date

ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def now_utc() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


def business_date(moment: datetime, tz: str) -> date:
    """The mall's local date: a mall in WITA rolls over at its own midnight, not at UTC's."""
    return local(moment, tz).date()


def utc_offset_minutes(tz: str, moment: datetime | None = None) -> int:
    """Minutes ahead of UTC (420 for WIB): what a page's own clock adds to UTC."""
    return int(local(moment or now_utc(), tz).utcoffset().total_seconds() // 60)


def zone_abbreviation(tz: str) -> str:
    return ZONE_ABBREVIATIONS.get(tz, tz)


def _parse(hhmm: str) -> time:
    """ "08:00" -> 08:00; "24:00" closes at the very end of the day."""
    hours, minutes = hhmm.split(":")
    if hours == "24":
        return time.max
    return time(int(hours), int(minutes))


def hours_on(hours: dict | None, day: date) -> tuple[time, time] | None:
    """Opening and closing time on that day, or None when closed (weekday keys "0".."6")."""
    if not hours:
        return None
    span = hours.get(str(day.weekday()))
    if not span:
        return None
    return _parse(span[0]), _parse(span[1])


def is_open_at(hours: dict | None, moment_local: datetime) -> bool:
    span = hours_on(hours, moment_local.date())
    if span is None:
        return False
    return span[0] <= moment_local.time().replace(tzinfo=None) < span[1]


def format_hhmm(value: time) -> str:
    """Indonesian style: 08.30."""
    if value == time.max:
        return "24.00"
    return f"{value.hour:02d}.{value.minute:02d}"


def long_date(day: date, locale: str = "id") -> str:
    """ "Senin, 23 November 2026" (or "Monday, 23 November 2026"), from Babel's locale data."""
    return format_date(day, "EEEE, d MMMM y", locale=locale)


def month_year(day: date, locale: str = "id") -> str:
    """ "November 2026"."""
    return format_date(day, "MMMM y", locale=locale)
