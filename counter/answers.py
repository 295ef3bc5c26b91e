"""What every console action answers: the ticket and the counter as its commit leaves them."""

from __future__ import annotations

from flask import jsonify

from counter import snapshots
from shared import timeutil
from shared.models import Counter
from shared.web.database import get_session


def commit_and_answer(
    counter: Counter | None, ticket, performed: bool = True, others: list | None = None, **extra
):
    """Commit the action, answering ``{"ticket", "counter", "performed", **extra}`` (``performed``
    False: nothing was done; ``others``: the visit's other tickets, when already read).

    The answer is read from the action's own transaction just before its commit: the state the
    commit makes. Read after it, each action would open a second transaction, on SQLite a second
    turn of the write lock that the kiosks wait on, only to read its own rows again.
    """
    session = get_session()
    now = timeutil.now_utc()
    shown = snapshots.ticket_view(session, ticket, now, others) if ticket is not None else None
    body = {
        "ticket": shown,
        "counter": snapshots.counter_view(session, counter) if counter is not None else None,
        "performed": performed,
        **extra,
    }
    session.commit()
    return jsonify(body)
