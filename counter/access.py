"""Loading what a request names, with the role and agency check every endpoint needs.

A clerk or supervisor only ever sees their own agency's counters and tickets; an admin sees all.
Objects of another agency answer 403, whatever the URL or payload says.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from counter.site_scope import current_site
from shared import rows
from shared.models import Agency, Counter, StaffUser, Ticket
from shared.queue.loading import load_ticket_service, read_counter_and_near
from shared.web.auth import require_agency
from shared.web.database import get_session

STAFF = (StaffUser.CLERK, StaffUser.SUPERVISOR, StaffUser.ADMIN)
MANAGERS = (StaffUser.SUPERVISOR, StaffUser.ADMIN)


def get_or_404(model, object_id: int):
    found = rows.get(get_session(), model, object_id)  # session.get, its read a plain one
    if found is None:
        abort(404)
    return found


def site_object_or_404(model, object_id: int):
    """A kiosk, TV or counter named by id, if of a site the user may manage: another site's is
    a 404, as if it did not exist."""
    found = get_or_404(model, object_id)
    if not current_user.can_manage_site(found.site_id):
        abort(404)
    return found


def counter_for_user(counter_id: int, *, calling: bool = False) -> Counter:
    """``calling``: read with the counters its call places, in one statement (loading.py)."""
    counter = None
    if calling:
        counter = read_counter_and_near(get_session(), counter_id, current_user.site_id)
    counter = counter or get_or_404(Counter, counter_id)
    require_agency(counter.agency_id)
    return counter


def ticket_for_user(ticket_id: int) -> Ticket:
    ticket = get_or_404(Ticket, ticket_id)
    load_ticket_service(get_session(), ticket, current_user.site_id)  # kept: no statement
    require_agency(ticket.service.agency_id)
    return ticket


def visible_agencies() -> list[Agency]:
    """The agencies the signed-in user may look at: an admin, all of the site worked on;
    others, their own."""
    stmt = select(Agency).order_by(Agency.display_order, Agency.id)
    stmt = stmt.where(Agency.site_id == current_site().id)
    if current_user.role != StaffUser.ADMIN:
        stmt = stmt.where(Agency.id == current_user.agency_id)
    return list(get_session().execute(stmt).scalars())


def visible_counters() -> list[Counter]:
    stmt = select(Counter).where(Counter.site_id == current_site().id).order_by(Counter.number)
    if current_user.role != StaffUser.ADMIN:
        stmt = stmt.where(Counter.agency_id == current_user.agency_id)
    return list(get_session().execute(stmt).scalars())
