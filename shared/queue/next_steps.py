"""What a clerk may do with a visit when its step ends: the pathway's default next step, and every
other step of the pathway to choose (another poli, pharmacy skipped, back to registration).

Read-only, except that asking for a poli's doctor sessions makes the day's rows from the weekly
schedules (``doctors.sessions_for_day``), as the kiosk does. Only public data: service and
doctor names, session hours and places left; never the patient's identity.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from shared.models import Service, Ticket
from shared.queue import doctors, pathways, payloads
from shared.queue.loading import site_services
from shared.queue.sites import agency_of_service
from shared.sql import plain_rows

# Built once: a finish's answer lists the visit's earlier tickets and names its next one. Both
# come from this one plain read, without reading the visit or building its tickets (most
# visits have no other ticket).
_OTHERS_IN_VISIT = (
    select(
        Ticket.id,
        Ticket.display_number,
        Ticket.service_id,
        Ticket.status,
        Ticket.note,
        Ticket.step,
    )
    .where(Ticket.visit_id == bindparam("visit_id"), Ticket.id != bindparam("ticket_id"))
    .order_by(Ticket.id)
)


def visit_rows(session: Session, ticket: Ticket) -> list:
    """The visit's other tickets as plain rows (id, display_number, service_id, status, note,
    step), in the order they were made."""
    params = {"visit_id": ticket.visit_id, "ticket_id": ticket.id}
    return plain_rows(session, _OTHERS_IN_VISIT, params).all()


def _brief(session: Session, service: Service) -> dict:
    agency = agency_of_service(session, service)  # kept per process: no statement
    return {**payloads.service_brief(service), "agency": agency.short_name}


def default_after(ticket: Ticket, prescription: str | None) -> tuple | None:
    """``pathways.next_step`` as it would answer once the visit had ``prescription``.

    A stand-in carries what next_step reads, so the visit itself is not changed by a look-up.
    """
    visit = ticket.visit
    stand_in = SimpleNamespace(
        pathway=visit.pathway, plan=visit.plan, payer=visit.payer, prescription=prescription
    )
    return pathways.next_step(stand_in, ticket.step)


def _default_json(session: Session, found) -> dict | None:
    if found is None:
        return None  # the visit ends here
    step, service = found
    return {"service": _brief(session, service), "step": step.name, "position": step.position}


def _doctors(session: Session, service: Service, day: date, ticket: Ticket) -> list[dict]:
    """The poli's sessions of the day, with the places left for the visit's payer."""
    visit = ticket.visit
    rows = []
    for row in doctors.sessions_for_day(session, service, day):
        held = visit.doctor_session_id == row.id
        rows.append(
            {
                **doctors.session_json(row),
                "places_left": doctors.places_left(row, visit.payer),
                "held": held,
            }
        )
    return rows


def next_step_choices(session: Session, ticket: Ticket) -> dict:
    """The default next step and the choices, grouped by the pathway's steps.

    A ticket on no pathway has no choices: finishing it ends the visit, as it always did.
    """
    visit = ticket.visit
    current = pathways.step_of(visit, ticket)
    answer = {
        "ticket_id": ticket.id,
        "on_pathway": current is not None,
        "step": current.name if current is not None else None,
        "stage": current.stage if current is not None else None,
        "payer": visit.payer,
        "prescription": visit.prescription,
        # The poli decides the prescription; its choice changes the default (no pharmacy).
        "asks_prescription": current is not None and current.stage == "poli",
        "prescriptions": list(pathways.PRESCRIPTIONS),
        "default": None,
        "defaults": {},
        "steps": [],
    }
    if current is None:
        return answer
    answer["default"] = _default_json(session, pathways.next_step(visit, ticket.step))
    answer["defaults"] = {
        kind: _default_json(session, default_after(ticket, kind)) for kind in pathways.PRESCRIPTIONS
    }
    for step in visit.pathway.steps:
        if not pathways.step_applies(step, visit.payer):
            continue
        services = pathways.candidates(step, visit.payer)
        if not services:
            continue
        where = "here" if step.position == current.position else "ahead"
        if step.position < current.position:
            where = "back"
        answer["steps"].append(
            {
                "position": step.position,
                "name": step.name,
                "stage": step.stage,
                "optional": step.optional,
                "where": where,
                "services": [
                    {
                        **_brief(session, s),
                        "doctors": _doctors(session, s, ticket.business_date, ticket),
                    }
                    for s in services
                ],
            }
        )
    return answer


def next_ticket_json(session: Session, ticket: Ticket, rows: list | None = None) -> dict | None:
    """The ticket the visit got when ``ticket``'s step ended (null: the visit is over).

    ``rows``: the visit's other tickets as :func:`visit_rows` gives them, when already read."""
    rows = visit_rows(session, ticket) if rows is None else rows
    later = [row for row in rows if row.id > ticket.id]
    if not later:
        return None
    new = min(later, key=lambda row: row.id)
    service = site_services(session, ticket.service.site_id, {new.service_id})[new.service_id]
    return {
        "id": new.id,
        "number": new.display_number,
        "service": _brief(session, service),
        "step": _step_name(ticket, new.step),
    }


def _step_name(ticket: Ticket, position: int | None) -> str | None:
    if position is None:  # not a pathway's step: the visit need not be read
        return None
    steps = ticket.visit.pathway.steps if ticket.visit.pathway is not None else []
    return next((s.name for s in steps if s.position == position), None)
