"""The regional dashboard: every active site's queue right now, and which sites are in trouble.

Each site's "today" is its own business day (a WIT site is two hours ahead of a WIB one). The
figures come from a fixed number of grouped queries whatever the number of sites (sites,
tickets by site and status, counters by site and status, kiosks, today's holidays), so a
province's hundred sites cost what three do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, Holiday, Kiosk, Service, Site, Ticket
from shared.queue import states
from shared.queue.dashboard import KIOSK_ONLINE

LONG_WAIT_MINUTES = 30  # a citizen waiting longer than this puts the site in trouble
PRINTER_FAULTS = ("offline", "paper_out")  # Kiosk.printer_state values that stop tickets

# Reasons a site is in trouble, worst first (the view words them).
LONG_WAIT = "long_wait"
NO_COUNTER_OPEN = "no_counter_open"
KIOSK_OFFLINE = "kiosk_offline"
PRINTER_FAULT = "printer_fault"
REASONS = (NO_COUNTER_OPEN, LONG_WAIT, PRINTER_FAULT, KIOSK_OFFLINE)


@dataclass
class SiteNow:
    site: Site
    business_date: date
    open_now: bool
    waiting: int = 0
    serving: int = 0  # called or being served at a counter
    served: int = 0  # finished today
    longest_wait_minutes: int = 0
    counters_open: int = 0
    counters_paused: int = 0
    kiosks: int = 0
    kiosks_offline: int = 0
    printer_faults: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def trouble(self) -> bool:
        return bool(self.reasons)


def _todays(sites: list[Site], now: datetime) -> dict[int, date]:
    return {site.id: timeutil.business_date(now, site.timezone) for site in sites}


def _tickets(session: Session, today: dict[int, date], now: datetime, rows: dict) -> None:
    """Waiting, at a counter and served today, and the oldest waiting ticket, per site."""
    stmt = (
        select(
            Service.site_id,
            Ticket.business_date,
            Ticket.status,
            func.count(),
            func.min(Ticket.queued_at),
        )
        .join(Service, Service.id == Ticket.service_id)
        .where(
            Ticket.business_date.in_(sorted(set(today.values()))),
            Ticket.status.in_((states.WAITING, *states.ACTIVE, states.DONE)),
        )
        .group_by(Service.site_id, Ticket.business_date, Ticket.status)
    )
    for site_id, day, status, count, oldest in session.execute(stmt):
        row = rows.get(site_id)
        if row is None or day != today[site_id]:
            continue  # another site's day (a WIT site's "today" is a WIB site's "tomorrow")
        if status == states.WAITING:
            row.waiting += count
            if oldest is not None:
                waited = int((now - oldest).total_seconds() // 60)
                row.longest_wait_minutes = max(row.longest_wait_minutes, waited, 0)
        elif status == states.DONE:
            row.served += count
        else:
            row.serving += count


def _counters(session: Session, rows: dict) -> None:
    stmt = (
        select(Counter.site_id, Counter.status, func.count())
        .where(Counter.status.in_((Counter.OPEN, Counter.PAUSED)))
        .group_by(Counter.site_id, Counter.status)
    )
    for site_id, status, count in session.execute(stmt):
        if site_id in rows:
            if status == Counter.OPEN:
                rows[site_id].counters_open = count
            else:
                rows[site_id].counters_paused = count


def _kiosks(session: Session, now: datetime, rows: dict) -> None:
    """Registered kiosks only: the demo mode's tokenless stand-in is no device to look after."""
    stmt = select(Kiosk.site_id, Kiosk.last_seen_at, Kiosk.printer_state).where(
        Kiosk.active.is_(True), Kiosk.is_demo.is_(False)
    )
    for site_id, seen, printer in session.execute(stmt):
        row = rows.get(site_id)
        if row is None:
            continue
        row.kiosks += 1
        row.kiosks_offline += seen is None or now - seen > KIOSK_ONLINE
        row.printer_faults += printer in PRINTER_FAULTS


def _holidays(session: Session, today: dict[int, date]) -> set[tuple[int | None, date]]:
    stmt = select(Holiday.site_id, Holiday.day).where(Holiday.day.in_(sorted(set(today.values()))))
    return {(site_id, day) for site_id, day in session.execute(stmt)}


def _is_open(site: Site, now: datetime, day: date, holidays: set) -> bool:
    if (None, day) in holidays or (site.id, day) in holidays:
        return False
    return timeutil.is_open_at(site.opening_hours, timeutil.local(now, site.timezone))


def _reasons(row: SiteNow, long_wait: int) -> list[str]:
    found = set()
    if row.waiting and not row.counters_open:
        found.add(NO_COUNTER_OPEN)
    if row.waiting and row.longest_wait_minutes >= long_wait:
        found.add(LONG_WAIT)
    # Kiosks are switched off out of hours: only a kiosk silent while the site is open matters.
    if row.open_now and row.kiosks_offline:
        found.add(KIOSK_OFFLINE)
    if row.printer_faults:
        found.add(PRINTER_FAULT)
    return [reason for reason in REASONS if reason in found]


def regional_overview(
    session: Session, now: datetime, *, long_wait_minutes: int = LONG_WAIT_MINUTES
) -> list[SiteNow]:
    """Every active site's figures now: sites in trouble first (most reasons, then the longest
    wait), then the others by name."""
    sites = list(session.execute(select(Site).where(Site.active.is_(True))).scalars())
    if not sites:
        return []
    today = _todays(sites, now)
    holidays = _holidays(session, today)
    rows = {
        site.id: SiteNow(site, today[site.id], _is_open(site, now, today[site.id], holidays))
        for site in sites
    }
    _tickets(session, today, now, rows)
    _counters(session, rows)
    _kiosks(session, now, rows)
    for row in rows.values():
        row.reasons = _reasons(row, long_wait_minutes)
    return sorted(
        rows.values(),
        key=lambda r: (-len(r.reasons), -r.longest_wait_minutes if r.trouble else 0, r.site.name),
    )


def totals(rows: list[SiteNow]) -> dict:
    """The region as a whole."""
    keys = ("waiting", "serving", "served", "counters_open", "kiosks", "kiosks_offline")
    out = {key: sum(getattr(r, key) for r in rows) for key in keys}
    out["longest_wait_minutes"] = max((r.longest_wait_minutes for r in rows), default=0)
    out["sites"] = len(rows)
    out["sites_in_trouble"] = sum(1 for r in rows if r.trouble)
    return out
