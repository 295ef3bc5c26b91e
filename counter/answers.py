"""What every console action answers: the ticket and the counter as they are after it."""

from __future__ import annotations

from flask import jsonify

from counter import snapshots
from shared import timeutil
from shared.models import Counter
from shared.web.database import get_session


def console_answer(counter: Counter | None, ticket, performed: bool = True, **extra):
    """``{"ticket", "counter", "performed", **extra}``; ``performed`` False: nothing was done."""
    session = get_session()
    now = timeutil.now_utc()
    return jsonify(
        {
            "ticket": snapshots.ticket_view(ticket, now) if ticket is not None else None,
            "counter": snapshots.counter_view(session, counter) if counter is not None else None,
            "performed": performed,
            **extra,
        }
    )
