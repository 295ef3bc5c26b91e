"""Check-in of a booking at the kiosk: the code (typed or scanned) becomes a printed ticket.

Authenticated like taking a ticket (the kiosk's token, or the demo kiosk) and answered the same
way: 201 with ``ticket`` and ``print``. A repeat from the same kiosk within
``shared.booking.checkin.REPLAY_SECONDS`` answers 200 with the same ticket and prints nothing.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from kiosk import catalogue
from kiosk.api import _print_answer, _protect, _stored_print_answer
from kiosk.identity import current_kiosk
from shared import booking
from shared.booking import errors
from shared.printing import print_ticket, ticket_url
from shared.queue import ticket_position
from shared.queue.errors import N_, DomainError
from shared.web import csrf
from shared.web.database import get_session
from shared.web.errors import error_response, translate
from shared.web.limits import code_lookup, limiter

bp = Blueprint("kiosk_checkin", __name__, url_prefix="/kiosk/api")
csrf.exempt(bp)  # checked in _protect(): the CSRF token with the cookie, none with the header

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
    _protect(source)
    code = booking.normalise_code(code)
    if not CODE.match(code):
        raise InvalidCode()
    try:
        ticket, created = booking.check_in_at_kiosk(session, code, kiosk)
    except errors.BookingTooLate as late:
        # The kiosk offers a regular ticket for the same service: tell it which one.
        service_id = booking.find_booking(session, code).service_id
        return error_response(late.status, late.code, translate(late), service_id=service_id)
    position = ticket_position(session, ticket)
    session.commit()  # the ticket exists before any printer is touched
    config = current_app.config["ANTRE"]
    payload = catalogue.ticket_payload(ticket, position, ticket_url(config, ticket.code))
    body = {"ticket": {**payload, "source": ticket.source, "booking": code}}
    if created:
        printed = _print_answer(print_ticket(session, ticket, config))
        session.commit()  # the second, short transaction: the print outcome
    else:
        printed = _stored_print_answer(ticket)
    response = jsonify({**body, "print": printed})
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201 if created else 200
