"""Live figures for supervisors: per service, per counter, per agency, and the kiosks' health."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shared.models import Agency, Counter, Kiosk, Service, StaffUser, Ticket
from shared.queue import states
from shared.queue.calling import active_ticket
from shared.queue.targets import past_target_cutoff, wait_state

KIOSK_ONLINE = timedelta(minutes=2)  # a kiosk reports at least every minute


def _counts_by_service(session: Session, service_ids: list[int], day: date) -> dict:
    stmt = (
        select(Ticket.service_id, Ticket.status, func.count(), func.min(Ticket.queued_at))
        .where(Ticket.service_id.in_(service_ids), Ticket.business_date == day)
        .group_by(Ticket.service_id, Ticket.status)
    )
    counts: dict[int, dict] = {}
    for service_id, status, count, oldest in session.execute(stmt):
        counts.setdefault(service_id, {})[status] = (count, oldest)
    return counts


def _past_target_by_service(
    session: Session, services: list[Service], day: date, now: datetime
) -> dict[int, int]:
    """Waiting tickets that have waited their service's target, per service (one query)."""
    reached = [
        and_(
            Ticket.service_id == s.id,
            Ticket.queued_at <= past_target_cutoff(now, s.wait_target_minutes),
        )
        for s in services
        if s.wait_target_minutes
    ]
    if not reached:
        return {}
    stmt = (
        select(Ticket.service_id, func.count())
        .where(Ticket.status == states.WAITING, Ticket.business_date == day, or_(*reached))
        .group_by(Ticket.service_id)
    )
    return dict(session.execute(stmt).all())


def agency_overview(session: Session, agency: Agency, day: date, now: datetime) -> dict:
    """Waiting, longest wait, served and no-shows per service; each counter's state and clerk."""
    services = [s for s in agency.services if s.active]
    counts = _counts_by_service(session, [s.id for s in services], day)
    past_target = _past_target_by_service(session, services, day, now)
    rows = []
    for service in services:
        by_status = counts.get(service.id, {})
        waiting, oldest = by_status.get(states.WAITING, (0, None))
        longest = int((now - oldest).total_seconds() // 60) if oldest else 0
        rows.append(
            {
                "id": service.id,
                "name": service.name,
                "prefix": service.prefix,
                "waiting": waiting,
                "longest_wait_minutes": longest,
                # The longest current wait against the target: ok, amber, red (None: no target).
                "wait_target_minutes": service.wait_target_minutes,
                "wait_state": wait_state(longest, service.wait_target_minutes),
                "past_target": past_target.get(service.id, 0),
                "served": by_status.get(states.DONE, (0, None))[0],
                "no_shows": by_status.get(states.NO_SHOW, (0, None))[0],
                "transferred": by_status.get(states.TRANSFERRED, (0, None))[0],
            }
        )
    counters = [counter_overview(session, c) for c in agency.counters]
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "colour": agency.colour,
        "services": rows,
        "counters": counters,
        "clerks_on_duty": sorted({c["clerk"] for c in counters if c["clerk"]}),
        "totals": {key: sum(r[key] for r in rows) for key in _TOTALS}
        | {"longest_wait_minutes": max((r["longest_wait_minutes"] for r in rows), default=0)},
    }


def counter_overview(session: Session, counter: Counter) -> dict:
    clerk = session.get(StaffUser, counter.clerk_id) if counter.clerk_id else None
    current = active_ticket(session, counter)
    return {
        "id": counter.id,
        "number": counter.number,
        "name": counter.name,
        "status": counter.status,
        "pause_reason": counter.pause_reason,
        "clerk": clerk.name if clerk and counter.status != Counter.CLOSED else None,
        "current": current.display_number if current else None,
    }


def kiosk_health(session: Session, now: datetime, site_id: int | None = None) -> list[dict]:
    """The active kiosks (of one site, when given) and whether they and their printers work."""
    rows = []
    stmt = select(Kiosk).where(Kiosk.active).order_by(Kiosk.id)
    if site_id is not None:
        stmt = stmt.where(Kiosk.site_id == site_id)
    for kiosk in session.execute(stmt).scalars():
        seen = kiosk.last_seen_at
        rows.append(
            {
                "id": kiosk.id,
                "name": kiosk.name,
                "online": seen is not None and now - seen <= KIOSK_ONLINE,
                "last_seen_at": seen.isoformat() if seen else None,
                "printer_state": kiosk.printer_state,
                "printer_detail": kiosk.printer_detail,
            }
        )
    return rows


_TOTALS = ("waiting", "served", "no_shows", "past_target")


def mall_totals(agencies: list[dict]) -> dict:
    totals = {key: sum(a["totals"][key] for a in agencies) for key in _TOTALS}
    totals["longest_wait_minutes"] = max(
        (a["totals"]["longest_wait_minutes"] for a in agencies), default=0
    )
    totals["counters_open"] = sum(
        1 for a in agencies for c in a["counters"] if c["status"] == Counter.OPEN
    )
    return totals


def active_services(session: Session) -> list[Service]:
    return list(session.execute(select(Service).where(Service.active)).scalars())
