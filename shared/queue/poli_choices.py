"""What a citizen chooses along with a service: today's doctors' sessions, the payer, and where
the ticket queues first when the service is a later step of a pathway (a poli: registration).

Asked for all of a kiosk's services at once, in a fixed number of statements: the kiosk's
service list is the hottest read there is. Decided by data only (a service with doctors, a
service on a later pathway step), never by the kind of site.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from shared.models import Pathway, PathwayStep, Service, Ticket, pathway_step_service
from shared.models.health import PAYERS
from shared.queue import doctors
from shared.queue.pathways import route_new_visit


def places_of_services(
    session: Session, site_id: int, services: list[Service]
) -> dict[int, tuple[Pathway, PathwayStep]]:
    """``{service id: (pathway, step)}``: :func:`pathways.place_of_service` for many at once."""
    if not services:
        return {}
    stmt = (
        select(pathway_step_service.c.service_id, Pathway, PathwayStep)
        .join(PathwayStep, PathwayStep.pathway_id == Pathway.id)
        .join(pathway_step_service, pathway_step_service.c.step_id == PathwayStep.id)
        .where(
            Pathway.site_id == site_id,
            Pathway.active.is_(True),
            pathway_step_service.c.service_id.in_([s.id for s in services]),
        )
        .order_by(Pathway.id, PathwayStep.position)
        .options(selectinload(Pathway.steps).selectinload(PathwayStep.services))
    )
    places: dict[int, tuple[Pathway, PathwayStep]] = {}
    for service_id, pathway, step in session.execute(stmt):
        places.setdefault(service_id, (pathway, step))  # the earliest, as place_of_service
    return places


def first_steps(session: Session, service: Service, place) -> dict[str, dict] | None:
    """``{payer: {"service_id", "service", "step"}}`` where a ticket for ``service`` queues
    first, per payer; None when it queues at the service itself (not a later step)."""
    if place is None:
        return None
    firsts = {}
    for payer in PAYERS:
        route = route_new_visit(session, service, payer=payer, place=place)
        if route.service.id != service.id:
            firsts[payer] = {
                "service_id": route.service.id,
                "service": route.service.name,
                "step": route.step.name if route.step is not None else None,
            }
    return firsts or None


def _different(firsts: dict[str, dict] | None) -> bool:
    if not firsts:
        return False
    seen = {firsts.get(payer, {}).get("service_id") for payer in PAYERS}
    return len(seen) > 1


def not_ended(sessions: list, clock: str | None) -> list:
    """The sessions still running or to come at ``clock`` ("HH:MM" in the site's zone, today);
    an ended session is not offered (its doctor has gone home). None: another day, all."""
    return [s for s in sessions if clock is None or s.end > clock]


def choices_by_service(
    session: Session,
    site_id: int,
    services: list[Service],
    day: date,
    clock: str | None = None,
) -> dict[int, dict]:
    """``{service id: {"doctors"?, "first_step"?, "asks_payer"}}`` for the services that have
    doctors or are a later pathway step; the others are left out (they keep their shape).

    The payer is asked when it changes something: a doctor's places are split JKN / non-JKN,
    or the first step differs per payer (registration JKN or umum). A poli whose sessions
    have all ended at ``clock`` lists ``"doctors": []``.
    """
    sessions = doctors.sessions_for_services(session, services, day)
    places = places_of_services(session, site_id, services)
    extra: dict[int, dict] = {}
    for service in services:
        entry: dict = {}
        if service.id in sessions:
            entry["doctors"] = [
                doctors.session_json(s) for s in not_ended(sessions[service.id], clock)
            ]
        firsts = first_steps(session, service, places.get(service.id))
        if firsts:
            entry["first_step"] = firsts
        if entry:
            entry["asks_payer"] = "doctors" in entry or _different(firsts)
            extra[service.id] = entry
    return extra


def planned_visit(ticket: Ticket) -> dict | None:
    """The poli (and doctor's session) chosen for later when the ticket queues first elsewhere
    (registration): what the ticket screen and the paper say besides "go to …"."""
    visit = ticket.visit
    plan = [int(v) for v in (visit.plan or {}).values()]
    held = visit.doctor_session
    if held is not None and held.service_id != ticket.service_id:
        poli = held.service
    elif plan:
        poli = object_session(ticket).get(Service, plan[0])
    else:
        return None
    return {
        "service_id": poli.id,
        "service": poli.name,
        "doctor": held.doctor.name if held is not None else None,
        "session": held.label if held is not None else None,
    }
