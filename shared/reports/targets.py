"""Waits against their targets, per step (a service) and day, read from the daily roll-ups.

A step's tickets are the tickets of its services, so a row is one service on one day: the
tickets called (they have a wait, issue → first call, from the log), the mean wait (exact, from
ReportDaily's sums) and how many were called within the service's current target (from the
wait histogram in whole minutes, as ``shared.queue.targets.within_target`` counts). The step's
name comes from the site's active pathways when the service is on one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.models import Pathway, PathwayStep, ReportDaily, ReportDuration, Service
from shared.reports.periods import Period, Scope
from shared.reports.queries import rows_in_scope


@dataclass
class StepDayRow:
    day: date
    service_id: int
    service: str
    step: str | None  # the pathway step's name, when the service is on an active pathway
    position: int | None
    target_minutes: int | None
    waited: int  # tickets called (with a wait)
    wait_seconds: int
    within_target: int | None  # None: the service has no target

    @property
    def mean_wait_seconds(self) -> float | None:
        return self.wait_seconds / self.waited if self.waited else None

    @property
    def within_target_share(self) -> float | None:
        if self.within_target is None or not self.waited:
            return None
        return self.within_target / self.waited


def _steps_of(session: Session, service_ids: set[int]) -> dict[int, PathwayStep]:
    """Each service's step on an active pathway (the first, by position, if on several)."""
    steps = session.execute(
        select(PathwayStep)
        .join(Pathway, Pathway.id == PathwayStep.pathway_id)
        .where(Pathway.active.is_(True))
        .order_by(PathwayStep.pathway_id, PathwayStep.position)
    ).scalars()
    found: dict[int, PathwayStep] = {}
    for step in steps:
        for service in step.services:
            if service.id in service_ids:
                found.setdefault(service.id, step)
    return found


def step_target_report(session: Session, period: Period, scope: Scope) -> list[StepDayRow]:
    """Per day and service: tickets called, mean wait and the share within the target (read
    after ticket_report, which brings the roll-ups up to date)."""
    waited = func.sum(ReportDaily.waited)
    sums = session.execute(
        select(
            ReportDaily.business_date,
            ReportDaily.service_id,
            waited,
            func.sum(ReportDaily.wait_seconds),
        )
        .where(*rows_in_scope(ReportDaily, period, scope))
        .group_by(ReportDaily.business_date, ReportDaily.service_id)
        .having(waited > 0)
    ).all()
    histograms: dict[tuple, dict[int, int]] = defaultdict(dict)
    for day, service_id, minutes, tickets in session.execute(
        select(
            ReportDuration.business_date,
            ReportDuration.service_id,
            ReportDuration.minutes,
            func.sum(ReportDuration.tickets),
        )
        .where(*rows_in_scope(ReportDuration, period, scope), ReportDuration.kind == "wait")
        .group_by(ReportDuration.business_date, ReportDuration.service_id, ReportDuration.minutes)
    ):
        histograms[(day, service_id)][minutes] = int(tickets)
    service_ids = {row[1] for row in sums}
    found = session.execute(select(Service).where(Service.id.in_(service_ids))).scalars()
    services = {s.id: s for s in found}
    steps = _steps_of(session, service_ids)
    rows = []
    for day, service_id, n, seconds in sums:
        service, step = services[service_id], steps.get(service_id)
        target = service.wait_target_minutes
        waits = histograms.get((day, service_id), {})
        rows.append(
            StepDayRow(
                day=day,
                service_id=service_id,
                service=service.name,
                step=step.name if step else None,
                position=step.position if step else None,
                target_minutes=target,
                waited=int(n),
                wait_seconds=int(seconds),
                within_target=sum(k for m, k in waits.items() if m < target) if target else None,
            )
        )
    rows.sort(key=lambda r: (r.day, r.position is None, r.position or 0, r.service))
    return rows
