"""A visit's patient identity: recorded by the clerk, shown in full only on their own screen,
erased by the daily purge.

Retention: ``erase_after`` is the visit's business date plus its site's
``booking_retention_days`` (the same period the site already chose for booking names and phone
numbers; ``DEFAULT_RETENTION_DAYS`` when the visit has no site yet). Long enough to answer a BPJS
claim query about the day, short enough that the queue is not a patient register: the hospital's
own records (SIMRS) are where identities live.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from shared import timeutil
from shared.bpjs.outbound import visit_changed
from shared.health.identifiers import CHECKS, mask_identifier
from shared.models import PatientIdentity, Service, Site, StaffUser, Ticket, Visit
from shared.queue import pathways
from shared.queue.errors import N_, DomainError
from shared.queue.sites import site_of_service
from shared.queue.states import ACTIVE

DEFAULT_RETENTION_DAYS = 30
FIELDS = ("card_number", "nik", "medical_record")


class NotOnPathway(DomainError):
    status = 409
    code = "not_on_pathway"
    message = N_("Patient identity is kept only for a visit on a pathway.")


def _site(session: Session, visit: Visit) -> Site | None:
    first = min(visit.tickets, key=lambda t: t.id, default=None)
    return site_of_service(session, first.service) if first is not None else None


def erase_date(session: Session, visit: Visit) -> date:
    site = _site(session, visit)
    days = site.booking_retention_days if site is not None else DEFAULT_RETENTION_DAYS
    return visit.business_date + timedelta(days=days)


def identity_of(session: Session, visit: Visit) -> PatientIdentity | None:
    return session.get(PatientIdentity, visit.id)


def record_patient_identity(
    session: Session,
    visit: Visit,
    *,
    card_number: str | None = None,
    nik: str | None = None,
    medical_record: str | None = None,
    now: datetime,
) -> PatientIdentity | None:
    """Keep (or replace) what the clerk typed: all three at once, a missing one cleared.

    Raises InvalidIdentifier (its ``field`` named) before anything is stored. All three empty
    erases the row and answers None. Flushes, never commits.
    """
    values = {"card_number": card_number, "nik": nik, "medical_record": medical_record}
    values = {k: (v or None) for k, v in values.items()}
    for field, value in values.items():
        if value is not None:
            CHECKS[field](value)
    if visit.pathway_id is None:
        raise NotOnPathway()
    row = identity_of(session, visit)
    if not any(values.values()):
        if row is not None:
            session.delete(row)
            _flush_quietly(session)
        return None
    erase_after = erase_date(session, visit)  # before the new row: its query would flush it
    if row is None:
        row = PatientIdentity(visit_id=visit.id)
        session.add(row)
    for field, value in values.items():
        setattr(row, field, value)
    row.recorded_at = now
    row.erase_after = erase_after
    _flush_quietly(session)
    # A JKN visit's antrean/add may have waited for the identity: it can leave now.
    site_id = min(visit.tickets, key=lambda t: t.id).service.site_id
    visit_changed(session, visit, site_id, now)
    return row


def _flush_quietly(session: Session) -> None:
    """Flush; a database error raised here is logged upstream, so its text must not carry the
    statement's parameters (the identifiers)."""
    try:
        session.flush()
    except StatementError as error:
        error.hide_parameters = True
        raise


def _registration_tickets(visit: Visit) -> list[Ticket]:
    return [
        t
        for t in visit.tickets
        if (step := pathways.step_of(visit, t)) is not None and step.stage == "registration"
    ]


def sees_identity_in_full(ticket: Ticket, user: StaffUser) -> bool:
    """Whether ``user``'s screen may show the identity unmasked: they are serving this ticket,
    or the visit's registration (the clerk's own screen). Everyone else who may look at the
    ticket (supervisors, other clerks of the agency) sees it masked. Access to the ticket
    itself is the caller's check."""
    serving = [ticket, *_registration_tickets(ticket.visit)]
    return any(t.clerk_id == user.id and t.status in ACTIVE for t in serving)


def identity_json(row: PatientIdentity | None, *, full: bool) -> dict:
    """For the counter API only; never for an event, a public page or a log line."""
    if row is None:
        return {field: None for field in FIELDS} | {"masked": not full, "erase_after": None}
    shown = {
        field: getattr(row, field) if full else mask_identifier(getattr(row, field))
        for field in FIELDS
    }
    return shown | {"masked": not full, "erase_after": row.erase_after.isoformat()}


def purge_patient_identities(session: Session, *, now: datetime | None = None) -> int:
    """Delete identities whose ``erase_after`` has passed in their site's own calendar."""
    now = now or timeutil.now_utc()
    count = 0
    for site in session.execute(select(Site)).scalars().all():
        today = timeutil.business_date(now, site.timezone)
        visits = (
            select(Ticket.visit_id)
            .join(Service, Service.id == Ticket.service_id)
            .where(Service.site_id == site.id)
        )
        result = session.execute(
            delete(PatientIdentity)
            .where(PatientIdentity.visit_id.in_(visits), PatientIdentity.erase_after < today)
            .execution_options(synchronize_session=False)
        )
        count += result.rowcount
    session.expire_all()
    return count
