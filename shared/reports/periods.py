"""Report periods (day, week, month, custom) and scopes (mall, agency, service, counter, clerk)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from shared.queue.errors import N_, DomainError

KINDS = ("day", "week", "month", "custom")
SCOPES = ("mall", "agency", "service", "counter", "clerk")
MAX_DAYS = 366 * 2


class InvalidPeriod(DomainError):
    status = 422
    code = "invalid_period"
    message = N_("Choose a valid period.")


class InvalidScope(DomainError):
    status = 422
    code = "invalid_scope"
    message = N_("Choose a valid scope.")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class Scope:
    kind: str
    # The agency, service, counter or clerk; for "mall", the site (None: every site together).
    id: int | None = None

    @property
    def column(self) -> str | None:
        return None if self.kind == "mall" else f"{self.kind}_id"


def make_period(kind: str, anchor: date, end: date | None = None) -> Period:
    """The day, the Monday-to-Sunday week, or the calendar month holding ``anchor``."""
    if kind == "day":
        return Period(kind, anchor, anchor)
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        last = calendar.monthrange(anchor.year, anchor.month)[1]
        return Period(kind, anchor.replace(day=1), anchor.replace(day=last))
    if kind == "custom" and end is not None and anchor <= end:
        if (end - anchor).days + 1 > MAX_DAYS:
            raise InvalidPeriod()
        return Period(kind, anchor, end)
    raise InvalidPeriod()


def parse_period(kind: str | None, start: str | None, end: str | None, today: date) -> Period:
    try:
        anchor = date.fromisoformat(start) if start else today
        last = date.fromisoformat(end) if end else None
    except ValueError:
        raise InvalidPeriod() from None
    return make_period(kind or "day", anchor, last)


def parse_scope(kind: str | None, ident: str | None) -> Scope:
    kind = kind or "mall"
    if kind not in SCOPES:
        raise InvalidScope()
    if kind == "mall":
        return Scope("mall")
    if not ident or not str(ident).isdigit():
        raise InvalidScope()
    return Scope(kind, int(ident))
