"""Moving a visit along its pathway: queue it at a step, and at the next one when a step ends.

A step change is the same move as a transfer, except that the finished ticket stays ``done``
(its step was served) and the pathway, or the clerk, chooses the target. Every step's start and
end are rows of the append-only ticket log, which is where the BPJS task ids come from
(``shared/queue/milestones.py``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared import rows
from shared.models import DoctorSession, PathwayStep, Service, StaffUser, Ticket, Visit
from shared.queue import doctors, errors, pathways, publishing, states
from shared.queue.numbering import display_number, new_public_code, next_number


def bind_doctor_session(
    session: Session, visit: Visit, service: Service, doctor_session_id: int
) -> DoctorSession:
    """Hold a place for the visit in one of ``service``'s sessions of the visit's day."""
    chosen = _session_of_day(session, visit, service, doctor_session_id)
    held = visit.doctor_session
    if held is not None and held.id == chosen.id:
        return chosen
    if held is not None:
        doctors.release_place(session, held, visit.payer)
    visit.session_number = doctors.take_place(session, chosen, visit.payer)
    visit.doctor_session = chosen
    return chosen


def _session_of_day(
    session: Session, visit: Visit, service: Service, doctor_session_id: int
) -> DoctorSession:
    chosen = session.get(DoctorSession, doctor_session_id)
    if chosen is None or chosen.service_id != service.id or chosen.day != visit.business_date:
        raise errors.NotFound(errors.N_("Unknown doctor's session."))
    return chosen


def hold_booked_place(
    session: Session, visit: Visit, service: Service, doctor_session_id: int
) -> DoctorSession:
    """The visit of a checked-in booking joins the session whose place the booking already
    took: no second place, only its number in the session (the order of arrival)."""
    chosen = _session_of_day(session, visit, service, doctor_session_id)
    visit.doctor_session = chosen
    visit.session_number = doctors.number_held_place(session, chosen)
    return chosen


def _session_for(session: Session, visit: Visit, service: Service) -> DoctorSession | None:
    """The doctor's session whose queue this visit joins at ``service`` (None: no doctors)."""
    held = visit.doctor_session
    if held is not None and held.service_id == service.id:
        return held
    found = doctors.first_with_room(session, service, visit.business_date, visit.payer)
    if found is None:
        if doctors.sessions_for_day(session, service, visit.business_date):
            raise doctors.SessionFull()
        return None
    return bind_doctor_session(session, visit, service, found.id)


def new_ticket(session: Session, service: Service, visit: Visit, now: datetime, **fields) -> Ticket:
    """A numbered ticket of ``visit`` at ``service``, not in the session yet: the caller writes
    it with ``rows.write_new`` (adding it for the flush would cost a walk of its relationships).

    ``number`` is the service's own serial for the day, which keeps (service, day, number)
    unique; a doctor's session shows its own count instead (P-012: the 12th of the session).
    """
    number = next_number(session, service.id, visit.business_date)
    shown = fields.pop("shown_number", None) or number
    ticket = rows.new(
        Ticket,
        visit=visit,
        service=service,
        business_date=visit.business_date,
        number=number,
        display_number=display_number(service.prefix, shown),
        code=new_public_code(),
        issued_at=now,
        queued_at=fields.pop("queued_at", now),
        **fields,
    )
    return ticket


def queue_at_step(
    session: Session,
    visit: Visit,
    service: Service,
    step: PathwayStep | None,
    now: datetime,
    **fields,
) -> Ticket:
    """The visit's ticket at ``service``: in its doctor's session queue when the poli has one."""
    doctored = visit.pathway is not None or visit.doctor_session is not None
    held = _session_for(session, visit, service) if doctored else None
    return new_ticket(
        session,
        service,
        visit,
        now,
        step=step.position if step is not None else None,
        doctor_session=held,
        shown_number=visit.session_number if held is not None else None,
        **fields,
    )


def advance_visit(
    session: Session,
    ticket: Ticket,
    *,
    next_service_id: int | None = None,
    doctor_session_id: int | None = None,
    end_visit: bool = False,
    actor: StaffUser | None = None,
    now: datetime,
) -> Ticket | None:
    """After ``ticket``'s step is done: queue the visit at the next step, or end it.

    ``next_service_id`` is the clerk's choice (the poli, pharmacy skipped, back to registration)
    and ``doctor_session_id`` the doctor's session chosen at registration; without them the
    pathway decides. None when the visit is over.
    """
    if end_visit:
        return None
    if next_service_id is None and doctor_session_id is None and ticket.step is None:
        return None  # on no pathway's step nothing follows (pathways.next_step): visit not read
    visit = ticket.visit
    if doctor_session_id is not None:
        chosen = session.get(DoctorSession, doctor_session_id)
        if chosen is None or chosen.service.site_id != ticket.service.site_id:
            raise errors.NotFound(errors.N_("Unknown doctor's session."))
        next_service_id = chosen.service_id
        bind_doctor_session(session, visit, chosen.service, doctor_session_id)
    if next_service_id is not None:
        service = session.get(Service, next_service_id)
        if service is None or not service.active or service.site_id != ticket.service.site_id:
            raise errors.NotFound(errors.N_("Unknown service."))
        step = pathways.step_for_service(visit, service)
    else:
        found = pathways.next_step(visit, ticket.step)
        if found is None:
            return None
        step, service = found
    new = queue_at_step(
        session,
        visit,
        service,
        step,
        now,
        priority=ticket.priority,
        source=ticket.source,
        status=states.WAITING,
    )
    rows.write_new(session, new)
    states.log_change(session, new, "issue", None, at=now, actor=actor, note="step")
    publishing.ticket_changed(session, new, "issue", now)
    return new
