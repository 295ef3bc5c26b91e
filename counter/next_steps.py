"""The console's finish dialog asks here where a visit on a pathway may go when its step ends."""

from __future__ import annotations

from flask import jsonify

from counter.access import STAFF, ticket_for_user
from counter.blueprint import bp
from shared.queue.next_steps import next_step_choices
from shared.web.auth import require_roles
from shared.web.database import get_session


@bp.get("/api/tickets/<int:ticket_id>/next-steps")
@require_roles(*STAFF)
def next_steps(ticket_id: int):
    """The default next step and the choices; the same checks as finishing the ticket."""
    ticket = ticket_for_user(ticket_id)
    session = get_session()
    answer = next_step_choices(session, ticket)
    session.commit()  # the day's doctor sessions, made from the schedules on first ask
    return jsonify(answer)
