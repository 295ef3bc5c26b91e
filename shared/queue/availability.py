"""Whether a service can be taken now, and why not; how long the wait is likely to be."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, Service, Site, Ticket, counter_service
from shared.queue import errors
from shared.queue.numbering import numbers_given, quota_left
from shared.queue.states import DONE
from shared.sql import in_values, plain_rows

SAMPLE = 10  # recent services that make the live rate
MIN_SAMPLES = 3
_WAITING_COUNT = select(func.count()).where(  # built once: every queue summary counts
    Ticket.service_id == bindparam("service_id"),
    Ticket.business_date == bindparam("day"),
    Ticket.status == "waiting",
)


def open_counter_count(session: Session, service_id: int) -> int:
    stmt = (
        select(func.count())
        .select_from(Counter)
        .join(counter_service, counter_service.c.counter_id == Counter.id)
        .where(counter_service.c.service_id == service_id, Counter.status == Counter.OPEN)
    )
    return session.execute(stmt).scalar_one()


def unavailability(
    session: Session,
    site: Site,
    service: Service,
    now: datetime,
    day: date,
    *,
    given: int | None = None,
    open_counters: int | None = None,
) -> errors.ServiceUnavailable | None:
    """The reason the service cannot be taken at ``now``, or None when it can.

    ``given`` (numbers given today) and ``open_counters`` may be passed when already known.
    """
    if not service.active:
        return errors.ServiceInactive()
    hours = service.opening_hours or site.opening_hours
    moment = timeutil.local(now, site.timezone)
    span = timeutil.hours_on(hours, moment.date())
    if span is None:
        return errors.ClosedToday()
    if not timeutil.is_open_at(hours, moment):
        return errors.OutsideHours(
            opens=timeutil.format_hhmm(span[0]),
            closes=timeutil.format_hhmm(span[1]),
            zone=timeutil.zone_abbreviation(site.timezone),
        )
    if service.daily_quota is not None:  # without a quota, today's count is not needed
        if given is None:
            given = numbers_given(session, service.id, day)
        if quota_left(service, given) == 0:
            return errors.QuotaExhausted()
    if open_counters is None:
        open_counters = open_counter_count(session, service.id)
    if open_counters == 0:
        return errors.NoCounterOpen()
    return None


def minutes_per_ticket(session: Session, service: Service, day: date) -> float:
    """Live: the mean of today's last few services; until there are enough, the configured mean."""
    return minutes_per_ticket_of(session, [service], day)[service.id]


def _last_served(service_id, day):
    return (
        select(Ticket.service_id, Ticket.started_at, Ticket.finished_at)
        .where(
            Ticket.service_id == service_id,
            Ticket.business_date == day,
            in_values(Ticket.status, (DONE, "transferred")),
            Ticket.started_at.is_not(None),
            Ticket.finished_at.is_not(None),
        )
        .order_by(Ticket.finished_at.desc())
        .limit(SAMPLE)
    )


@functools.cache
def _last_served_of(count: int):
    """Built once per number of services (building costs more than running it); the services
    and the day are bound at each execution. SQLite takes ORDER BY and LIMIT in a UNION only
    inside a subquery."""
    day = bindparam("day")
    parts = [_last_served(bindparam(f"service_{n}"), day) for n in range(count)]
    return parts[0] if count == 1 else union_all(*(select(p.subquery()) for p in parts))


def minutes_per_ticket_of(session: Session, services: list[Service], day: date) -> dict[int, float]:
    """:func:`minutes_per_ticket` of each service, in one statement: each service's last few
    services along the index, joined by UNION ALL (a call places the queues of every service
    sharing its counter). Unlike a window over the day's tickets, it reads SAMPLE rows each."""
    if not services:
        return {}
    params = {f"service_{n}": service.id for n, service in enumerate(services)}
    stmt = _last_served_of(len(services))
    rows = plain_rows(session, stmt, {**params, "day": day})
    spans: dict[int, list[float]] = {service.id: [] for service in services}
    for service_id, start, end in rows:
        spans[service_id].append((end - start).total_seconds() / 60)
    return {service.id: rate_from_samples(service, spans[service.id]) for service in services}


def rate_from_samples(service: Service, minutes: list[float]) -> float:
    """The mean of recent service times, or the configured mean until there are enough."""
    if len(minutes) < MIN_SAMPLES:
        return float(service.avg_service_minutes)
    return max(0.5, sum(minutes) / len(minutes))


def estimate_minutes(people_ahead: int, per_ticket: float, open_counters: int) -> int:
    """People ahead shared among the open counters, at the live rate, rounded up."""
    return math.ceil(people_ahead * per_ticket / max(1, open_counters))


@dataclass
class ServiceStatus:
    service: Service
    waiting: int
    open_counters: int
    minutes_per_ticket: float
    quota_left: int | None
    reason: errors.ServiceUnavailable | None

    @property
    def eta_minutes(self) -> int:
        return estimate_minutes(self.waiting, self.minutes_per_ticket, self.open_counters)


def service_status(
    session: Session, site: Site, service: Service, now: datetime, placed=None
) -> ServiceStatus:
    """``placed``: the service's queue head or new arrival when just computed (same
    transaction, nothing changed since): its open counters and live rate are taken from it, and
    its count of waiting tickets when it has one; else that is one count along the call-order
    index."""
    day = timeutil.business_date(now, site.timezone)
    waiting = placed.waiting if placed is not None else None
    if waiting is None:
        params = {"service_id": service.id, "day": day}
        waiting = plain_rows(session, _WAITING_COUNT, params).scalar_one()
    if placed is not None:
        open_counters, rate = placed.open_counters, placed.minutes_per_ticket
    else:
        open_counters = open_counter_count(session, service.id)
        rate = minutes_per_ticket(session, service, day)
    given = numbers_given(session, service.id, day) if service.daily_quota is not None else 0
    return ServiceStatus(
        service=service,
        waiting=waiting,
        open_counters=open_counters,
        minutes_per_ticket=rate,
        quota_left=quota_left(service, given),
        reason=unavailability(
            session, site, service, now, day, given=given, open_counters=open_counters
        ),
    )
