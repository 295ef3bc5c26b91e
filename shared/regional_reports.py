"""Sites compared over a period: tickets, waiting and service times, the share called within the
waiting target, and each site's SKM, read from the daily roll-ups (shared.reports).

Four grouped queries whatever the number of sites (sites; roll-up sums by site; the time
histograms by site; survey sums by site), each joined to ``Agency.site_id``. A period is a range
of business dates, and each site's rows carry its own local business date, so "November" is
every site's own November.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import skm
from shared.models import Agency, ReportDaily, ReportDuration, Site, SurveyResponse
from shared.reports.periods import Period
from shared.reports.queries import Durations, percentile

WAIT_TARGET_MINUTES = 15  # the default waiting target: called within 15 minutes
SUMS = (
    "issued",
    "served",
    "no_show",
    "waited",
    "wait_seconds",
    "timed",
    "service_seconds",
    "within_standard",
)


@dataclass
class SiteFigures:
    site: Site
    issued: int = 0
    served: int = 0
    no_show: int = 0
    wait: Durations | None = None
    service: Durations | None = None
    # Tickets called less than the target's minutes after they were issued (from the waiting
    # histogram, whole minutes), of the tickets with a waiting time.
    within_target: int = 0
    within_standard: int = 0  # served within the service standard's completion time
    skm: skm.SkmResult | None = None

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.wait.count if self.wait and self.wait.count else None

    @property
    def within_standard_share(self) -> float | None:
        timed = self.service.count if self.service else 0
        return self.within_standard / timed if timed else None


def site_weighting(site: Site) -> str:
    """The site's SKM weighting as shared.skm names it ("permenpan": the printed 0.11)."""
    if site.skm_weight in skm.WEIGHTS:
        return site.skm_weight
    return skm.PRINTED if site.skm_weight == "permenpan" else skm.EXACT


def _in(model, period: Period) -> list:
    return [model.business_date >= period.start, model.business_date <= period.end]


def _sums(session: Session, period: Period) -> dict[int, dict[str, int]]:
    columns = [func.coalesce(func.sum(getattr(ReportDaily, name)), 0) for name in SUMS]
    stmt = (
        select(Agency.site_id, *columns)
        .join(Agency, Agency.id == ReportDaily.agency_id)
        .where(*_in(ReportDaily, period))
        .group_by(Agency.site_id)
    )
    return {
        row[0]: dict(zip(SUMS, map(int, row[1:]), strict=True)) for row in session.execute(stmt)
    }


def _histograms(session: Session, period: Period) -> dict[tuple[int, str], dict[int, int]]:
    """(site, "wait" or "service") -> {minutes: tickets}."""
    stmt = (
        select(
            Agency.site_id,
            ReportDuration.kind,
            ReportDuration.minutes,
            func.sum(ReportDuration.tickets),
        )
        .join(Agency, Agency.id == ReportDuration.agency_id)
        .where(*_in(ReportDuration, period))
        .group_by(Agency.site_id, ReportDuration.kind, ReportDuration.minutes)
    )
    found: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for site_id, kind, minutes, tickets in session.execute(stmt):
        found[(site_id, kind)][int(minutes)] = int(tickets)
    return found


def _surveys(session: Session, period: Period) -> dict[int, tuple[int, dict, dict]]:
    """site -> (respondents, {element: sum of scores}, {element: respondents who answered})."""
    columns = [getattr(SurveyResponse, key) for key in skm.ELEMENT_KEYS]
    stmt = (
        select(
            Agency.site_id,
            func.count(SurveyResponse.id),
            *(func.coalesce(func.sum(c), 0) for c in columns),
            *(func.count(c) for c in columns),
        )
        .join(Agency, Agency.id == SurveyResponse.agency_id)
        .where(*_in(SurveyResponse, period))
        .group_by(Agency.site_id)
    )
    n = len(columns)
    found = {}
    for row in session.execute(stmt):
        totals = dict(zip(skm.ELEMENT_KEYS, map(int, row[2 : 2 + n]), strict=True))
        answered = dict(zip(skm.ELEMENT_KEYS, map(int, row[2 + n :]), strict=True))
        found[row[0]] = (int(row[1]), totals, answered)
    return found


def _durations(count: int, seconds: int, histogram: dict[int, int]) -> Durations:
    return Durations(
        count,
        seconds / count if count else None,
        percentile(histogram, 0.5),
        percentile(histogram, 0.9),
    )


def compare_sites(
    session: Session,
    period: Period,
    *,
    wait_target_minutes: int = WAIT_TARGET_MINUTES,
) -> list[SiteFigures]:
    """Every active site's figures for the period, by site name, as far as the roll-ups go
    (only reads: the refresher job keeps them up to date)."""
    sites = session.execute(select(Site).where(Site.active.is_(True)).order_by(Site.name))
    sums, histograms = _sums(session, period), _histograms(session, period)
    surveys = _surveys(session, period)
    figures = []
    for site in sites.scalars():
        got = sums.get(site.id, dict.fromkeys(SUMS, 0))
        waits = histograms.get((site.id, "wait"), {})
        respondents, totals, answered = surveys.get(site.id, (0, {}, {}))
        figures.append(
            SiteFigures(
                site,
                issued=got["issued"],
                served=got["served"],
                no_show=got["no_show"],
                wait=_durations(got["waited"], got["wait_seconds"], waits),
                service=_durations(
                    got["timed"],
                    got["service_seconds"],
                    histograms.get((site.id, "service"), {}),
                ),
                within_target=sum(n for m, n in waits.items() if m < wait_target_minutes),
                within_standard=got["within_standard"],
                skm=skm.compute_skm(totals, answered, respondents, site_weighting(site)),
            )
        )
    return figures
