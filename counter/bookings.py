"""A clerk checks in a booked citizen by code (no kiosk nearby, or the QR will not scan).

Only staff of the booked service's agency (or an admin) may; the ticket is not printed: the
clerk tells the number, and the citizen can follow it on the ticket page.
"""

from __future__ import annotations

from flask_login import current_user

from counter.access import STAFF
from counter.answers import commit_and_answer
from counter.blueprint import bp
from shared import booking
from shared.web.auth import require_agency, require_roles
from shared.web.database import get_session


@bp.post("/api/bookings/<code>/check-in")
@require_roles(*STAFF)
def booking_check_in(code: str):
    session = get_session()
    require_agency(booking.find_booking(session, code).service.agency_id)
    ticket = booking.check_in_booking(session, code, actor=current_user)
    return commit_and_answer(None, ticket)
