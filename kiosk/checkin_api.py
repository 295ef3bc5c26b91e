"""Check-in of a booking at the kiosk: the code (typed or scanned) becomes a printed ticket.

Authenticated like taking a ticket (the kiosk's token, or the demo kiosk) and answered the same
way: 201 with ``ticket`` and ``print``. A repeat from the same kiosk within
``shared.booking.checkin.REPLAY_SECONDS`` answers 200 with the same ticket and prints nothing.
"""

from __future__ import annotations

import re

from flask import Blueprint

from kiosk.identity import current_kiosk
from kiosk.ticket_answer import hand_out, protect
from shared import booking
from shared.booking import errors
from shared.queue.errors import N_, DomainError
from shared.web import csrf
from shared.web.database import get_session
from shared.web.errors import error_response, translate
from shared.web.limits import code_lookup, limiter

bp = Blueprint("kiosk_checkin", __name__, url_prefix="/kiosk/api")
csrf.exempt(bp)  # checked in protect(): the CSRF token with the cookie, none with the header

CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")


class InvalidCode(DomainError):
    status = 422
    code = "invalid_booking_code"
    message = N_("A booking code has 8 letters and digits, like K7M2QX9B.")


@bp.post("/bookings/<code>/check-in")
@limiter.limit("30/minute")
@code_lookup
def check_in(code: str):
    session = get_session()
    kiosk, source = current_kiosk(session)
    protect(source)
    code = booking.normalise_code(code)
    if not CODE.match(code):
        raise InvalidCode()
    try:
        ticket, created = booking.check_in_at_kiosk(session, code, kiosk)
    except errors.BookingTooLate as late:
        # The kiosk offers a regular ticket for the same service: tell it which one.
        service_id = booking.find_booking(session, code).service_id
        return error_response(late.status, late.code, translate(late), service_id=service_id)
    extra = {"source": ticket.source, "booking": code}
    return hand_out(session, ticket, created, extra)
