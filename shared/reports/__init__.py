"""Reports: ticket figures from the log's daily roll-ups and the SKM index (no Flask here)."""

from shared.reports.freshness import Freshness, read_freshness
from shared.reports.periods import Period, Scope, make_period, parse_period, parse_scope
from shared.reports.queries import (
    ClerkServiceRow,
    SkmReport,
    TicketReport,
    clerk_service_report,
    skm_report,
    ticket_report,
)
from shared.reports.rollup import rebuild_days, refresh_rollups
from shared.reports.targets import StepDayRow, step_target_report

__all__ = [
    "ClerkServiceRow",
    "Freshness",
    "Period",
    "Scope",
    "SkmReport",
    "StepDayRow",
    "TicketReport",
    "clerk_service_report",
    "make_period",
    "parse_period",
    "parse_scope",
    "read_freshness",
    "rebuild_days",
    "refresh_rollups",
    "skm_report",
    "step_target_report",
    "ticket_report",
]
