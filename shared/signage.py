"""What a lobby display shows for its zone: a snapshot with the event sequence numbers.

A display's zone is its agencies (all active ones when its list is empty) and, optionally, a
subset of their counters. TVs join the Socket.IO rooms :func:`zone_rooms` names and use the
snapshot's ``seqs`` to notice a missed event (then they fetch a fresh snapshot).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import events, timeutil
from shared.models import Agency, Counter, Display, Service, Ticket
from shared.queue import errors, payloads
from shared.queue.availability import service_status
from shared.queue.publishing import DISPLAY, agency_room, site_room
from shared.queue.sites import get_site, site_json
from shared.queue.states import ACTIVE

RECENT_CALLS = 6


class DisplayNotFound(errors.NotFound):
    code = "display_not_found"
    message = errors.N_("This display does not exist.")


def get_display(session: Session, display_id: int | str | None) -> Display:
    try:
        display = session.get(Display, int(display_id))
    except (TypeError, ValueError):
        display = None
    if display is None:
        raise DisplayNotFound()
    return display


def zone_agency_ids(session: Session, display: Display) -> list[int]:
    stmt = (
        select(Agency.id)
        .where(Agency.site_id == display.site_id, Agency.active.is_(True))
        .order_by(Agency.display_order)
    )
    if display.agency_ids:
        stmt = stmt.where(Agency.id.in_(display.agency_ids))
    return list(session.execute(stmt).scalars())


def zone_rooms(session: Session, display: Display) -> list[str]:
    return [agency_room(i) for i in zone_agency_ids(session, display)] + [
        site_room(display.site_id)
    ]


def zone_counters(session: Session, display: Display, agency_ids: list[int]) -> list[Counter]:
    stmt = select(Counter).where(Counter.agency_id.in_(agency_ids)).order_by(Counter.number)
    if display.counter_ids:
        stmt = stmt.where(Counter.id.in_(display.counter_ids))
    return list(session.execute(stmt).scalars())


def room_seqs(session: Session, rooms: list[str]) -> dict[str, int]:
    """Last sequence number per room of the /display namespace."""
    return events.room_seqs(session, DISPLAY, rooms)


def _zone_services(session, display, agency_ids, counters) -> list[Service]:
    if display.counter_ids:
        ids = {s.id for c in counters for s in c.services}
        stmt = select(Service).where(Service.id.in_(ids))
    else:
        stmt = select(Service).where(Service.agency_id.in_(agency_ids))
    stmt = stmt.where(Service.active.is_(True)).order_by(Service.agency_id, Service.display_order)
    return list(session.execute(stmt).scalars())


def _calls_today(session, counters, day) -> list[Ticket]:
    """Today's calls at the zone's counters, newest first (a recall moves nothing here)."""
    if not counters:
        return []
    stmt = (
        select(Ticket)
        .where(
            Ticket.business_date == day,
            Ticket.called_at.is_not(None),
            Ticket.counter_id.in_([c.id for c in counters]),
        )
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(500)
    )
    return list(session.execute(stmt).scalars())


def build_zone_state(session: Session, display: Display, now: datetime | None = None) -> dict:
    """Everything a TV shows, public data only; ``seqs`` says which events it already includes."""
    now = now or timeutil.now_utc()
    site = get_site(session, display.site_id)
    rooms = zone_rooms(session, display)
    seqs = room_seqs(session, rooms)  # read first: an event after this is never missed
    agency_ids = zone_agency_ids(session, display)
    agencies = session.execute(select(Agency).where(Agency.id.in_(agency_ids))).scalars()
    counters = zone_counters(session, display, agency_ids)
    calls = _calls_today(session, counters, timeutil.business_date(now, site.timezone))
    latest: dict[int, Ticket] = {}
    for ticket in calls:
        latest.setdefault(ticket.counter_id, ticket)
    # "Now serving" is a ticket still at its counter: a finished or no-show one has left it.
    current = {counter_id: t for counter_id, t in latest.items() if t.status in ACTIVE}
    services = []
    for service in _zone_services(session, display, agency_ids, counters):
        status = service_status(session, site, service, now)
        services.append(
            {
                **payloads.service_brief(service),
                "agency_id": service.agency_id,
                "waiting": status.waiting,
                "eta_minutes": status.eta_minutes,
                "open": status.reason is None,
            }
        )
    local = timeutil.local(now, site.timezone)
    return {
        "zone": {
            "id": display.id,
            "name": display.name,
            "agency_ids": agency_ids,
            "counter_ids": list(display.counter_ids or []),
            "voice": {
                "enabled": display.voice_enabled,
                "repeat": max(1, min(3, display.voice_repeat or 1)),
                "english": display.voice_english,
            },
            "media": list(display.media or []),
        },
        "site": {
            **site_json(site),
            "kind": site.kind,
            "logo": site.logo_image_id,  # an UploadedImage id: /display/logo/site?v=<id>
            "zone_name": timeutil.zone_abbreviation(site.timezone),
            "utc_offset_minutes": int(local.utcoffset().total_seconds() // 60),
            "running_text": site.running_text,
        },
        "agencies": sorted(
            (
                {"id": a.id, "name": a.name, "short_name": a.short_name, "colour": a.colour}
                for a in agencies
            ),
            key=lambda a: agency_ids.index(a["id"]),
        ),
        "services": services,
        "counters": [
            {
                **payloads.counter_state(c),
                "current": payloads.call_announcement(current[c.id]) if c.id in current else None,
            }
            for c in counters
        ],
        "recent_calls": [payloads.call_announcement(t) for t in calls[:RECENT_CALLS]],
        "seqs": seqs,
        "server_time": now.isoformat(),
        "server_ms": int(now.timestamp() * 1000),
    }
