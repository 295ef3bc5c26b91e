"""The tail every kiosk request that hands out a ticket shares (taking one, checking in a booking):
commit, print, commit the print outcome, or answer a repeated request with what the first got.
"""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import gettext
from sqlalchemy.orm import Session

from kiosk import catalogue
from shared.models import Ticket
from shared.printing import print_ticket, settle_without_printer, ticket_url
from shared.queue import ticket_position
from shared.queue.errors import N_
from shared.queue.publishing import place_at_commit
from shared.web import csrf

PRINT_MESSAGES = {
    "no_printer": N_("No printer here: please take a photo of the number and the QR code."),
    "paper_out": N_(
        "The printer is out of paper: please take a photo of the number and the QR code."
    ),
}
PRINT_TROUBLE = N_("Printer problem: please take a photo of the number and the QR code.")


def protect(source: str) -> None:
    """CSRF for a kiosk request authenticated by its cookie (``source`` from current_kiosk).

    A token in a header cannot be sent by another site; a cookie can, so it needs the CSRF token.
    """
    if source != "header":
        csrf.protect()


def _print_answer(result) -> dict:
    if result.ok:
        return {"ok": True, "error": None, "code": result.code}
    message = PRINT_MESSAGES.get(result.code, PRINT_TROUBLE)
    return {"ok": False, "error": gettext(message), "code": result.code}


def _stored_print_answer(ticket: Ticket) -> dict:
    """For a repeated request: what the first one's printing came to (or that it is still on)."""
    if ticket.print_state == "printed":
        return {"ok": True, "error": None, "code": "printed"}
    if ticket.print_state == "pending":
        return {"ok": False, "error": None, "code": "pending"}
    code = "no_printer" if ticket.print_state == "none" else "error"
    return {"ok": False, "error": gettext(PRINT_MESSAGES.get(code, PRINT_TROUBLE)), "code": code}


def hand_out(session: Session, ticket: Ticket, created: bool, extra: dict | None = None):
    """Commit ``ticket`` and answer with it: a new one is printed after the commit (201, the print
    outcome in a second short transaction); a repeated request gets the stored outcome (200,
    ``Idempotent-Replayed``). ``extra`` is added to the ticket's JSON."""
    config = current_app.config["ANTRE"]
    position = None if created else ticket_position(session, ticket)
    settled = settle_without_printer(session, ticket, config) if created else None
    session.commit()  # the ticket exists before any printer is touched
    if position is None:  # the commit placed the new ticket's queue for TVs and phones: reuse it
        position = place_at_commit(session, ticket) or ticket_position(session, ticket)
    payload = catalogue.ticket_payload(ticket, position, ticket_url(config, ticket.code))
    body = {"ticket": {**payload, **(extra or {})}}
    if settled is not None:  # no printer: the outcome went in with the ticket
        printed = _print_answer(settled)
    elif created:
        printed = _print_answer(print_ticket(session, ticket, config, position))
        session.commit()  # the second, short transaction: the print outcome
    else:
        printed = _stored_print_answer(ticket)
    response = jsonify({**body, "print": printed})
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201 if created else 200
