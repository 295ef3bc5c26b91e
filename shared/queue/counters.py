"""Opening, pausing and closing a counter (loket)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared import timeutil
from shared.models import Counter, StaffUser
from shared.queue import errors, publishing
from shared.queue.calling import active_ticket


def set_counter_status(
    session: Session,
    counter: Counter,
    status: str,
    clerk: StaffUser | None = None,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> Counter:
    """Open (by a clerk), pause (with a reason) or close; not while a ticket is at the counter."""
    if status not in (Counter.OPEN, Counter.PAUSED, Counter.CLOSED):
        raise errors.DomainError(errors.N_("Unknown counter status."))
    now = now or timeutil.now_utc()
    if status != Counter.OPEN:
        current = active_ticket(session, counter)
        if current is not None:
            raise errors.CounterBusy(counter=counter.name, number=current.display_number)
    counter.status = status
    counter.pause_reason = reason if status == Counter.PAUSED else ""
    if status == Counter.OPEN and clerk is not None:
        counter.clerk_id = clerk.id
    elif status == Counter.CLOSED:
        counter.clerk_id = None
    session.flush()
    publishing.counter_changed(session, counter, now)
    return counter
