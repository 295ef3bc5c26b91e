"""The kiosk's JSON API: services with live figures, taking a ticket, the printer heartbeat."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from flask import Blueprint, current_app, jsonify
from pydantic import Field

from kiosk import catalogue
from kiosk.identity import current_kiosk, kiosk_client
from kiosk.ticket_answer import hand_out, protect
from shared import timeutil
from shared.printing import check_printer, has_printer
from shared.queue.errors import N_, DomainError, NotFound
from shared.queue.ordering import REGULAR
from shared.queue.taking import take_ticket
from shared.web import csrf
from shared.web.database import get_session
from shared.web.inputs import Body, Id, parse_body
from shared.web.limits import limiter

bp = Blueprint("kiosk_api", __name__, url_prefix="/kiosk/api")
# CSRF is checked per request in protect(): required with the cookie, not with the header token.
csrf.exempt(bp)

KEY_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"


class KeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    message = N_("This request key was already used for another service.")


class TakeTicket(Body):
    service_id: Id
    priority: Annotated[str, Field(max_length=20)] | None = None
    idempotency_key: Annotated[str, Field(pattern=KEY_PATTERN)]
    payer: Literal["jkn", "umum"] | None = None
    doctor_session_id: Id | None = None
    hints: ClassVar[dict[str, str]] = {
        "service_id": N_("service_id must be a positive whole number"),
        "priority": N_("priority must be a priority group code"),
        "idempotency_key": N_("idempotency_key must be 8 to 64 letters, digits, - or _"),
        "payer": N_("payer must be jkn or umum"),
        "doctor_session_id": N_("doctor_session_id must be a positive whole number"),
    }


def _same_choice(ticket, service_id: int) -> bool:
    """A repeated key asked for this ticket's service, or for the poli its visit planned."""
    planned = (ticket.visit.plan or {}).values()
    return ticket.service_id == service_id or service_id in {int(v) for v in planned}


@bp.get("/services")
def services():
    session = get_session()
    kiosk, _source = current_kiosk(session)
    payload = catalogue.services_payload(session, kiosk, timeutil.now_utc())
    session.commit()  # today's doctors' sessions are made on the first ask: keep their ids
    return jsonify(payload)


@bp.post("/tickets")
@limiter.limit("60/minute")
def take():
    session = get_session()
    kiosk, source = current_kiosk(session)
    protect(source)
    taking = parse_body(TakeTicket)
    service_id = taking.service_id
    service = catalogue.offered_service(session, kiosk, service_id)
    if service is None:
        raise NotFound(N_("Unknown service."))
    ticket, created = take_ticket(
        session,
        service_id,
        priority=taking.priority or REGULAR,
        kiosk=kiosk,
        client=kiosk_client(source),
        idempotency_key=taking.idempotency_key,
        payer=taking.payer,
        doctor_session_id=taking.doctor_session_id,
        printer=has_printer(kiosk, current_app.config["ANTRE"]),
    )
    if not _same_choice(ticket, service_id):
        raise KeyReused()
    return hand_out(session, ticket, created)


@bp.post("/heartbeat")
@limiter.limit("12/minute")
def heartbeat():
    """The kiosk page calls this every minute: last seen, and its printer's state for staff."""
    session = get_session()
    kiosk, source = current_kiosk(session)
    protect(source)
    result = check_printer(session, kiosk, current_app.config["ANTRE"])
    session.commit()
    return jsonify({"printer": {"state": result.printer_state, "detail": result.error or ""}})
