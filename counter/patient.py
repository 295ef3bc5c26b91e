"""The registration clerk's patient identity of a ticket's visit: BPJS card, NIK, medical record.

GET answers the values in full only to the clerk serving the ticket (or the visit's registration):
their own screen. Everyone else who may see the ticket (a supervisor, another clerk of the agency)
gets them masked, the last four shown. PUT is for that serving clerk alone; the write is audited
without the values, which never reach an event, a public page or a log line.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from flask import abort, jsonify
from flask_babel import gettext
from flask_login import current_user
from pydantic import AfterValidator, Field

from counter.access import STAFF, ticket_for_user
from counter.blueprint import bp
from shared import timeutil
from shared.audit import record_audit
from shared.health import identity_json, identity_of, record_patient_identity
from shared.health.identifiers import (
    CARD_MESSAGE,
    CHECKS,
    MEDICAL_RECORD_MESSAGE,
    NIK_MESSAGE,
    InvalidIdentifier,
)
from shared.health.identity import sees_identity_in_full
from shared.models import Ticket
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.inputs import Body, parse_body


def _checked(field: str, spaces_allowed: bool):
    def check(value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if spaces_allowed:  # a number copied from a card comes in groups: 0001 2345 67890
            value = value.replace(" ", "")
        if not value:
            return None
        try:
            return CHECKS[field](value)
        except InvalidIdentifier:
            raise ValueError("invalid") from None  # the value stays out of the message

    return AfterValidator(check)


class PatientIdentityBody(Body):
    card_number: Annotated[str, Field(max_length=40), _checked("card_number", True)] | None = None
    nik: Annotated[str, Field(max_length=40), _checked("nik", True)] | None = None
    medical_record: (
        Annotated[str, Field(max_length=40), _checked("medical_record", False)] | None
    ) = None
    hints: ClassVar[dict[str, str]] = {
        "card_number": CARD_MESSAGE,
        "nik": NIK_MESSAGE,
        "medical_record": MEDICAL_RECORD_MESSAGE,
    }


def _answer(ticket: Ticket, full: bool):
    on_pathway = ticket.visit.pathway_id is not None
    row = identity_of(get_session(), ticket.visit) if on_pathway else None
    return jsonify(
        {"ticket_id": ticket.id, "on_pathway": on_pathway, **identity_json(row, full=full)}
    )


@bp.get("/api/tickets/<int:ticket_id>/patient")
@require_roles(*STAFF)
def patient_identity(ticket_id: int):
    ticket = ticket_for_user(ticket_id)
    return _answer(ticket, sees_identity_in_full(ticket, current_user))


@bp.put("/api/tickets/<int:ticket_id>/patient")
@require_roles(*STAFF)
def record_identity(ticket_id: int):
    ticket = ticket_for_user(ticket_id)  # another agency's ticket: 403, whatever the body
    body = parse_body(PatientIdentityBody)
    if not sees_identity_in_full(ticket, current_user):
        abort(403, gettext("Only the clerk serving this ticket may record the patient's identity."))
    session = get_session()
    now = timeutil.now_utc()
    record_patient_identity(
        session,
        ticket.visit,
        card_number=body.card_number,
        nik=body.nik,
        medical_record=body.medical_record,
        now=now,
    )
    # Which fields were given, never what they hold.
    given = sorted(k for k in ("card_number", "nik", "medical_record") if getattr(body, k))
    record_audit(
        session,
        current_user,
        "patient.identity",
        "visit",
        ticket.visit_id,
        {"ticket": ticket.display_number, "fields": given},
        at=now,
    )
    session.commit()
    return _answer(ticket, True)
