"""Pathways: which step a service is, where a new visit starts, and which step comes next.

Pure lookups over the pathway rows; moving a visit is ``shared/queue/stepping.py``. A service on
no pathway behaves as it always did: one ticket, one queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import config_cache
from shared.models import Pathway, PathwayStep, Service, Ticket, Visit, pathway_step_service
from shared.queue import errors

PRESCRIPTIONS = ("none", "non_racikan", "racikan")


class NotOnPathway(errors.DomainError):
    status = 422
    code = "not_on_pathway"
    message = errors.N_("This service is not a step of the visit's pathway.")


@dataclass
class Route:
    """Where a new visit queues first and what it carries along the way."""

    service: Service
    pathway: Pathway | None = None
    step: PathwayStep | None = None
    payer: str | None = None
    plan: dict = field(default_factory=dict)


def place_of_service(session: Session, service: Service) -> tuple[Pathway, PathwayStep] | None:
    """The first active pathway of the service's site with the service in a step (earliest).

    Whether there is one is kept with the site's configuration (shared/config_cache.py): a
    service in no pathway (every service of an MPP) is answered without a statement.
    """
    read: list = []

    def ids() -> tuple[int, int] | None:
        stmt = (
            select(Pathway, PathwayStep)
            .join(PathwayStep, PathwayStep.pathway_id == Pathway.id)
            .join(pathway_step_service, pathway_step_service.c.step_id == PathwayStep.id)
            .where(
                Pathway.site_id == service.site_id,
                Pathway.active.is_(True),
                pathway_step_service.c.service_id == service.id,
            )
            .order_by(Pathway.id, PathwayStep.position)
            .limit(1)
        )
        read.extend(session.execute(stmt).first() or ())
        return (read[0].id, read[1].id) if read else None

    found = config_cache.kept(session, service.site_id, ("pathway of", service.id), ids)
    if found is None:
        return None
    if not read:  # kept: the two rows in one statement, as before
        stmt = (
            select(Pathway, PathwayStep)
            .join(PathwayStep, PathwayStep.pathway_id == Pathway.id)
            .where(PathwayStep.id == found[1])
        )
        read.extend(session.execute(stmt).one())
    return read[0], read[1]


def step_applies(step: PathwayStep, payer: str | None) -> bool:
    return step.payer is None or step.payer == payer


def candidates(step: PathwayStep, payer: str | None) -> list[Service]:
    """The step's active services for this payer (a service for everyone suits any payer)."""
    return [
        s
        for s in step.services
        if s.active and (s.payer is None or payer is None or s.payer == payer)
    ]


def step_of(visit: Visit, ticket: Ticket) -> PathwayStep | None:
    if visit.pathway is None or ticket.step is None:
        return None
    return next((s for s in visit.pathway.steps if s.position == ticket.step), None)


_ASK = object()


def route_new_visit(
    session: Session,
    service: Service,
    *,
    payer: str | None = None,
    direct: bool = False,
    place=_ASK,
) -> Route:
    """Where a visit that chose ``service`` starts.

    Choosing a later step's service (a poli) at the kiosk queues the visit at the pathway's first
    step for its payer and keeps the choice for later; ``direct`` (a checked-in booking) queues
    it at the chosen service itself. ``place`` is :func:`place_of_service`'s answer when the
    caller already has it (the kiosk asks for all its services at once).
    """
    payer = payer or service.payer
    if place is _ASK:
        place = place_of_service(session, service)
    if place is None:
        return Route(service=service, payer=payer)
    pathway, step = place
    if direct or step.position == pathway.steps[0].position:
        return Route(service=service, pathway=pathway, step=step, payer=payer)
    for first in pathway.steps:
        if first.position >= step.position:
            break
        if not step_applies(first, payer):
            continue
        options = candidates(first, payer)
        if options:
            return Route(
                service=options[0],
                pathway=pathway,
                step=first,
                payer=payer,
                plan={str(step.position): service.id},
            )
    return Route(service=service, pathway=pathway, step=step, payer=payer)


def next_step(visit: Visit, position: int | None) -> tuple[PathwayStep, Service] | None:
    """The step after ``position`` and its service: the planned choice, else the first candidate.

    Steps for another payer are passed over, and so are optional steps (pharmacy) when the visit
    has no prescription.
    """
    if visit.pathway is None or position is None:
        return None
    plan = visit.plan or {}
    for step in visit.pathway.steps:
        if step.position <= position or not step_applies(step, visit.payer):
            continue
        if step.optional and visit.prescription == "none":
            continue
        options = candidates(step, visit.payer)
        if not options:
            continue
        chosen = plan.get(str(step.position))
        planned = next((s for s in options if s.id == chosen), None)
        if planned is None and step.stage == "pharmacy" and visit.prescription == "racikan":
            planned = options[-1] if len(options) > 1 else None
        return step, planned or options[0]
    return None


def step_for_service(visit: Visit, service: Service) -> PathwayStep | None:
    """The visit's step that ``service`` belongs to (a choice made by the clerk)."""
    if visit.pathway is None:
        return None
    return next((s for s in visit.pathway.steps if service in s.services), None)


def path_json(visit: Visit) -> list[dict]:
    """The whole path as the citizen's phone shows it: done steps, where it stands, what's next.

    One row per ticket of the visit (a step sent back appears again), then the steps still
    ahead by default. Only public data: service name, status, number.
    """
    rows = [
        {
            "service": t.service.name,
            "status": t.status,
            "number": t.display_number,
            "step": _step_name(visit, t.step),
        }
        for t in sorted(visit.tickets, key=lambda t: t.id)
    ]
    if visit.pathway is None or not visit.tickets:
        return rows
    latest = max(visit.tickets, key=lambda t: t.id)
    if latest.status not in ("waiting", "called", "serving"):
        return rows  # the visit has ended (or ended early): nothing is planned any more
    ahead, position = [], latest.step
    while (nxt := next_step(visit, position)) is not None:
        step, service = nxt
        ahead.append(
            {"service": service.name, "status": "planned", "number": None, "step": step.name}
        )
        position = step.position
    return rows + ahead


def _step_name(visit: Visit, position: int | None) -> str | None:
    if visit.pathway is None or position is None:
        return None
    return next((s.name for s in visit.pathway.steps if s.position == position), None)
