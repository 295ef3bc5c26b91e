"""The report figures for a period and a scope, read from the roll-ups and the survey table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from shared import skm
from shared.models import Agency, ReportDaily, ReportDuration, SurveyResponse
from shared.reports.periods import Period, Scope

COUNTS = ("issued", "arrived", "served", "no_show", "cancelled", "transferred")
SOURCES = ("kiosk", "booking", "counter")


@dataclass
class Durations:
    """Times in seconds (means exact; median and p90 on whole minutes, nearest rank)."""

    count: int = 0
    mean_seconds: float | None = None
    median_minutes: int | None = None
    p90_minutes: int | None = None


@dataclass
class TicketReport:
    period: Period
    scope: Scope
    counts: dict[str, int] = field(default_factory=dict)
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)
    within_standard: int = 0
    within_standard_share: float | None = None  # of tickets with a service time
    heatmap: dict[tuple[int, int], int] = field(default_factory=dict)  # (weekday, hour) -> n
    sources: dict[str, int] = field(default_factory=dict)
    per_day: list[tuple[date, int, int]] = field(default_factory=list)  # day, issued, served


def rows_in_scope(model, period: Period, scope: Scope) -> list:
    """WHERE clauses of a roll-up (or survey) table for the period's days and the scope."""
    clauses = [model.business_date >= period.start, model.business_date <= period.end]
    if scope.column:
        clauses.append(getattr(model, scope.column) == scope.id)
    elif scope.id is not None:  # a site: the rows of its agencies (roll-ups have no site column)
        clauses.append(model.agency_id.in_(select(Agency.id).where(Agency.site_id == scope.id)))
    return clauses


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """Nearest-rank percentile of a {minutes: tickets} histogram."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for minutes in sorted(histogram):
        seen += histogram[minutes]
        if seen >= rank:
            return minutes
    return max(histogram)  # pragma: no cover - the loop always reaches the rank


def _durations(session: Session, period: Period, scope: Scope) -> dict[str, dict[int, int]]:
    stmt = (
        select(ReportDuration.kind, ReportDuration.minutes, func.sum(ReportDuration.tickets))
        .where(*rows_in_scope(ReportDuration, period, scope))
        .group_by(ReportDuration.kind, ReportDuration.minutes)
    )
    found: dict[str, dict[int, int]] = {"wait": {}, "service": {}}
    for kind, minutes, tickets in session.execute(stmt):
        found[kind][minutes] = int(tickets)
    return found


def ticket_report(session: Session, period: Period, scope: Scope) -> TicketReport:
    """Counts, times, standard compliance, arrivals heat map and sources for one period/scope,
    as far as the roll-ups go (only reads: the refresher job keeps them up to date)."""
    where = rows_in_scope(ReportDaily, period, scope)
    sums = (
        *(func.coalesce(func.sum(getattr(ReportDaily, c)), 0) for c in COUNTS),
        *(
            func.coalesce(func.sum(getattr(ReportDaily, c)), 0)
            for c in ("waited", "wait_seconds", "timed", "service_seconds", "within_standard")
        ),
    )
    row = session.execute(select(*sums).where(*where)).one()
    report = TicketReport(period, scope, counts=dict(zip(COUNTS, map(int, row[:6]), strict=True)))
    waited, wait_seconds, timed, service_seconds, within = map(int, row[6:])
    histograms = _durations(session, period, scope)
    report.wait = Durations(
        waited,
        wait_seconds / waited if waited else None,
        percentile(histograms["wait"], 0.5),
        percentile(histograms["wait"], 0.9),
    )
    report.service = Durations(
        timed,
        service_seconds / timed if timed else None,
        percentile(histograms["service"], 0.5),
        percentile(histograms["service"], 0.9),
    )
    report.within_standard = within
    report.within_standard_share = within / timed if timed else None
    heat = select(ReportDaily.weekday, ReportDaily.hour, func.sum(ReportDaily.arrived))
    for weekday, hour, n in session.execute(
        heat.where(*where).group_by(ReportDaily.weekday, ReportDaily.hour)
    ):
        if n:
            report.heatmap[(int(weekday), int(hour))] = int(n)
    by_source = select(ReportDaily.source, func.sum(ReportDaily.arrived))
    report.sources = dict.fromkeys(SOURCES, 0)
    for source, n in session.execute(by_source.where(*where).group_by(ReportDaily.source)):
        report.sources[source] = int(n)
    daily = select(
        ReportDaily.business_date, func.sum(ReportDaily.issued), func.sum(ReportDaily.served)
    )
    report.per_day = [
        (day, int(issued), int(served))
        for day, issued, served in session.execute(
            daily.where(*where)
            .group_by(ReportDaily.business_date)
            .order_by(ReportDaily.business_date)
        )
    ]
    return report


@dataclass
class ClerkServiceRow:
    clerk_id: int
    service_id: int
    served: int
    timed: int  # tickets with a service time (a transferred one has one too)
    service_seconds: int

    @property
    def mean_seconds(self) -> float | None:
        return self.service_seconds / self.timed if self.timed else None


def clerk_service_report(session: Session, period: Period, scope: Scope) -> list[ClerkServiceRow]:
    """Per clerk and service: tickets served and the service time, from the roll-ups."""
    served, timed = func.sum(ReportDaily.served), func.sum(ReportDaily.timed)
    stmt = (
        select(
            ReportDaily.clerk_id,
            ReportDaily.service_id,
            served,
            timed,
            func.sum(ReportDaily.service_seconds),
        )
        .where(*rows_in_scope(ReportDaily, period, scope), ReportDaily.clerk_id != 0)
        .group_by(ReportDaily.clerk_id, ReportDaily.service_id)
        .having(served + timed > 0)
    )
    return [
        ClerkServiceRow(int(c), int(s), int(n), int(t), int(secs))
        for c, s, n, t, secs in session.execute(stmt)
    ]


@dataclass
class SkmReport:
    period: Period
    scope: Scope
    result: skm.SkmResult
    distribution: dict[str, dict[int, int]]  # element -> score -> respondents
    suggestions: int


def skm_report(
    session: Session, period: Period, scope: Scope, weighting: str = skm.EXACT
) -> SkmReport:
    """NRR per element, IKM, SKM and band from the survey answers of the period and scope."""
    where = rows_in_scope(SurveyResponse, period, scope)
    columns = [getattr(SurveyResponse, key) for key in skm.ELEMENT_KEYS]
    stmt = select(
        func.count(SurveyResponse.id),
        func.count(func.nullif(SurveyResponse.suggestion, "")),
        *(func.coalesce(func.sum(c), 0) for c in columns),
        *(func.count(c) for c in columns),
    ).where(*where)
    row = session.execute(stmt).one()
    n = len(columns)
    totals = dict(zip(skm.ELEMENT_KEYS, map(int, row[2 : 2 + n]), strict=True))
    answered = dict(zip(skm.ELEMENT_KEYS, map(int, row[2 + n :]), strict=True))
    result = skm.compute_skm(totals, answered, int(row[0]), weighting)
    pairs = [(key, score) for key in skm.ELEMENT_KEYS for score in skm.SCORES]
    counts = select(
        *(
            func.coalesce(func.sum(case((getattr(SurveyResponse, key) == score, 1), else_=0)), 0)
            for key, score in pairs
        )
    ).where(*where)
    distribution = {key: dict.fromkeys(skm.SCORES, 0) for key in skm.ELEMENT_KEYS}
    for (key, score), count in zip(pairs, session.execute(counts).one(), strict=True):
        distribution[key][score] = int(count)
    return SkmReport(period, scope, result, distribution, int(row[1]))
