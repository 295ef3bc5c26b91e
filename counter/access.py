"""Loading what a request names, with the role and agency check every endpoint needs.

A clerk or supervisor only ever sees their own agency's counters and tickets; an admin sees all.
Objects of another agency answer 403, whatever the URL or payload says.
"""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from shared.models import Agency, Counter, StaffUser, Ticket
from shared.web.auth import require_agency
from shared.web.database import get_session

STAFF = (StaffUser.CLERK, StaffUser.SUPERVISOR, StaffUser.ADMIN)
MANAGERS = (StaffUser.SUPERVISOR, StaffUser.ADMIN)


def get_or_404(model, object_id: int):
    found = get_session().get(model, object_id)
    if found is None:
        abort(404)
    return found


def counter_for_user(counter_id: int) -> Counter:
    counter = get_or_404(Counter, counter_id)
    require_agency(counter.agency_id)
    return counter


def ticket_for_user(ticket_id: int) -> Ticket:
    ticket = get_or_404(Ticket, ticket_id)
    require_agency(ticket.service.agency_id)
    return ticket


def visible_agencies() -> list[Agency]:
    """The agencies the signed-in user may look at: all for an admin, else their own."""
    stmt = select(Agency).order_by(Agency.display_order, Agency.id)
    if current_user.role != StaffUser.ADMIN:
        stmt = stmt.where(Agency.id == current_user.agency_id)
    return list(get_session().execute(stmt).scalars())


def visible_counters() -> list[Counter]:
    stmt = select(Counter).order_by(Counter.number)
    if current_user.role != StaffUser.ADMIN:
        stmt = stmt.where(Counter.agency_id == current_user.agency_id)
    return list(get_session().execute(stmt).scalars())


def json_body() -> dict:
    """The request's JSON object ({} when there is no body); 400 for anything else."""
    if not request.data:
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def int_field(body: dict, name: str, *, required: bool = True) -> int | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        abort(422)
    return int(value)


def text_field(body: dict, name: str, limit: int = 500) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        abort(422)
    return value.strip()
