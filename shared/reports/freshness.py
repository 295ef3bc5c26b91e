"""How fresh the report figures are: what a report page says above them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import ReportState
from shared.reports.rollup import STATE, newest_log_id


@dataclass
class Freshness:
    refreshed_at: datetime | None  # the figures hold everything logged before it (UTC)
    behind: bool  # activity logged since, waiting for the job's next round


def read_freshness(session: Session) -> Freshness:
    """Read only (no lock): the roll-ups' state and the newest log id."""
    state = session.execute(select(ReportState).where(ReportState.name == STATE)).scalar()
    newest = newest_log_id(session)
    if state is None or state.refreshed_at is None:
        return Freshness(None, newest > 0)
    return Freshness(state.refreshed_at, newest > state.last_log_id)
