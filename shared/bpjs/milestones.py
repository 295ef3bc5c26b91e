"""The BPJS side of a visit's milestones: its task ids so far, and times in milliseconds.

The table of which step's stage and log row completes which task is one rule, in
shared/queue/milestones.py; the bridge reads it as the visit moves and sends what is new.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from shared.models import Visit
from shared.queue.milestones import NO_SHOW_OR_CANCELLED, epoch_ms, task_moments

CANCELLED = NO_SHOW_OR_CANCELLED


def ms(at: datetime) -> int:
    return epoch_ms(at)


def visit_milestones(session: Session, visit: Visit) -> dict[int, datetime]:
    """{task id: when} for the tasks the visit's log has completed so far."""
    return task_moments(session, visit)
