"""What the kiosk shows: its services with live figures, as JSON-ready dictionaries."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from shared import config_cache, events, timeutil
from shared.models import Agency, Kiosk, Service, Ticket
from shared.queue import payloads, poli_choices, publishing
from shared.queue.overview import service_statuses
from shared.queue.position import Position
from shared.queue.sites import get_site, site_json
from shared.web.errors import translate


def offered_services(session: Session, kiosk: Kiosk) -> list[Service]:
    stmt = (
        select(Service)
        .join(Service.agency)
        .options(contains_eager(Service.agency))
        .where(Service.site_id == kiosk.site_id, Service.active.is_(True), Agency.active.is_(True))
        .order_by(Agency.display_order, Agency.id, Service.display_order, Service.id)
    )
    if kiosk.agency_ids:
        stmt = stmt.where(Agency.id.in_(kiosk.agency_ids))
    return list(session.execute(stmt).scalars())


def offered_service(session: Session, kiosk: Kiosk, service_id: int) -> Service | None:
    """The service if ``kiosk`` offers it (the rule of :func:`offered_services`), with its agency.

    From what the process keeps of the site's configuration (shared/config_cache.py), else one
    row; the caller keeps it, so taking the ticket finds both in the identity map instead of
    reading them again.
    """

    def read() -> Service | None:
        stmt = (
            select(Service)
            .join(Service.agency)
            .options(contains_eager(Service.agency))
            .where(
                Service.id == service_id,
                Service.site_id == kiosk.site_id,
                Service.active.is_(True),
                Agency.active.is_(True),
            )
        )
        return config_cache.detach(session.execute(stmt).scalar_one_or_none(), "agency")

    kept = config_cache.kept(session, kiosk.site_id, ("active service", service_id), read)
    if kept is None or (kiosk.agency_ids and kept.agency_id not in kiosk.agency_ids):
        return None
    return config_cache.attach(session, kept)


def _agency(agency: Agency) -> dict:
    return {
        "id": agency.id,
        "name": agency.name,
        "short_name": agency.short_name,
        "colour": agency.colour,
        # The image id in the address: a new logo is a new address, not a stale cached one.
        "logo_url": (
            url_for("kiosk.agency_logo", agency_id=agency.id, v=agency.logo_image_id)
            if agency.logo_image_id
            else None
        ),
    }


def services_payload(session: Session, kiosk: Kiosk, now: datetime) -> dict:
    """``{"services": [...], "seqs": {room: last seq}}`` for GET /kiosk/api/services."""
    services = offered_services(session, kiosk)
    rooms = [publishing.site_room(kiosk.site_id)] + sorted(
        {publishing.agency_room(s.agency_id) for s in services}
    )
    seqs = events.room_seqs(session, publishing.KIOSK, rooms)  # before the figures they number
    site = get_site(session, kiosk.site_id)
    local = timeutil.local(now, site.timezone)
    choices = poli_choices.choices_by_service(
        session, site.id, services, local.date(), f"{local:%H:%M}"
    )
    rows = []
    for status in service_statuses(session, site, services, now):
        service, reason = status.service, status.reason
        rows.append(
            {
                "id": service.id,
                "code": service.code,
                "name": service.name,
                "prefix": service.prefix,
                "agency": _agency(service.agency),
                "open": reason is None,
                "closed_reason": None
                if reason is None
                else {"code": reason.code, "params": reason.params, "message": translate(reason)},
                "waiting": status.waiting,
                "eta_minutes": status.eta_minutes,
                "quota_left": status.quota_left,
                "standard": {
                    "requirements": service.requirements,
                    "procedure": service.procedure,
                    "duration": service.duration,
                    "cost": service.cost,
                },
                # a poli: its doctors' sessions today, where the ticket queues first, the payer
                **choices.get(service.id, {}),
            }
        )
    return {
        "site": site_json(site),
        "services": rows,
        "seqs": seqs,
    }


def ticket_payload(ticket: Ticket, position: Position, url: str) -> dict:
    return {
        "site": site_json(ticket.service.agency.site),
        "number": ticket.display_number,
        "code": ticket.code,
        "url": url,
        "qr_url": url_for("kiosk.ticket_qr", code=ticket.code),
        "service_id": ticket.service_id,
        "service": ticket.service.name,
        "agency": ticket.service.agency.name,
        "priority": ticket.priority,
        **payloads.labels(ticket),
        "status": ticket.status,
        "people_ahead": position.people_ahead,
        "eta_minutes": position.eta_minutes,
        "issued_at": ticket.issued_at.isoformat(),
        "planned": poli_choices.planned_visit(ticket),
    }
