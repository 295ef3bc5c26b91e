"""The report as tables: the same rows feed the page, the CSV and the XLSX export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from shared import skm, timeutil
from shared.enums import TicketSource, TicketStatus
from shared.queue.errors import N_
from shared.reports import ClerkServiceRow, SkmReport, StepDayRow, TicketReport

PERIOD_NAMES = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month"), "custom": N_("Custom")}
SCOPE_NAMES = {
    "mall": N_("Whole mall"),
    "agency": N_("Agency"),
    "service": N_("Service"),
    "counter": N_("Counter"),
    "clerk": N_("Clerk"),
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ID = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 2)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 2)


def weekday_names(locale: str) -> tuple[str, ...]:
    return WEEKDAYS_ID if locale == "id" else WEEKDAYS


def ticket_tables(report: TicketReport, locale: str) -> list[Table]:
    c = report.counts
    summary = Table("summary", _("Tickets"), [_("Figure"), _("Tickets")])
    for key, label in (
        ("issued", _("Issued")),
        ("arrived", _("New arrivals (not transfers)")),
        ("served", _("Served")),
        ("no_show", TicketStatus.NO_SHOW.label),
        ("cancelled", TicketStatus.CANCELLED.label),
        ("transferred", TicketStatus.TRANSFERRED.label),
    ):
        summary.rows.append([label, c[key]])
    times = Table(
        "times",
        _("Waiting and service time (minutes)"),
        [_("Time"), _("Tickets"), _("Mean"), _("Median"), _("90th percentile")],
    )
    for label, d in ((_("Waiting"), report.wait), (_("Service"), report.service)):
        times.rows.append(
            [label, d.count, _minutes(d.mean_seconds), d.median_minutes, d.p90_minutes]
        )
    standard = Table(
        "standard",
        _("Served within the service standard's time"),
        [_("Within the standard"), _("Tickets with a service time"), _("Share (%)")],
        [[report.within_standard, report.service.count, _share(report.within_standard_share)]],
    )
    per_day = Table(
        "per_day",
        _("Tickets per day"),
        [_("Date"), _("Issued"), _("Served")],
        [[day.isoformat(), issued, served] for day, issued, served in report.per_day],
    )
    hours = heat_hours(report)
    names = weekday_names(locale)
    heat = Table(
        "heatmap", _("Arrivals by hour and weekday"), [_("Day")] + [f"{h:02d}" for h in hours]
    )
    for weekday in range(7):
        heat.rows.append([names[weekday]] + [report.heatmap.get((weekday, h), 0) for h in hours])
    sources = Table(
        "sources",
        _("Arrivals by source"),
        [_("Source"), _("Arrivals")],
        [[TicketSource.label_of(s), n] for s, n in report.sources.items()],
    )
    return [summary, times, standard, per_day, heat, sources]


def clerk_service_table(
    rows: list[ClerkServiceRow], clerks: dict[int, str], services: dict[int, str]
) -> Table:
    """Tickets served and mean service time per clerk and service."""
    table = Table(
        "clerk_service",
        _("Served per clerk and service"),
        [
            _("Clerk"),
            _("Service"),
            _("Served"),
            _("Tickets with a service time"),
            _("Mean service time (minutes)"),
        ],
    )
    for row in sorted(
        rows, key=lambda r: (clerks.get(r.clerk_id, ""), services.get(r.service_id, ""))
    ):
        table.rows.append(
            [
                clerks.get(row.clerk_id, f"#{row.clerk_id}"),
                services.get(row.service_id, f"#{row.service_id}"),
                row.served,
                row.timed,
                _minutes(row.mean_seconds),
            ]
        )
    return table


def target_table(rows: list[StepDayRow]) -> Table:
    """Per day and step (service): tickets called, the share within the target, the mean wait."""
    table = Table(
        "wait_targets",
        _("Waiting against the target, per step and day"),
        [
            _("Date"),
            _("Step"),
            _("Service"),
            _("Waiting target (min)"),
            _("Tickets called"),
            _("Within the target"),
            _("Share within the target (%)"),
            _("Mean wait (minutes)"),
        ],
    )
    for row in rows:
        table.rows.append(
            [
                row.day.isoformat(),
                row.step,
                row.service,
                row.target_minutes,
                row.waited,
                row.within_target,
                _share(row.within_target_share),
                _minutes(row.mean_wait_seconds),
            ]
        )
    return table


def heat_hours(report: TicketReport) -> list[int]:
    hours = sorted({hour for _, hour in report.heatmap})
    if not hours:
        return list(range(8, 16))
    return list(range(min(hours), max(hours) + 1))


def nrr_value(value) -> float | None:
    return None if value is None else float(skm.to_decimal(value, 3))


def skm_tables(report: SkmReport, locale: str) -> list[Table]:
    r = report.result
    weight = skm.weight_of(r.weighting)
    elements = Table(
        "skm_elements",
        _("SKM per element"),
        [
            _("No."),
            _("Element"),
            _("Respondents"),
            _("Sum of scores"),
            _("NRR"),
            _("NRR x weight"),
        ]
        + [_("Score %(n)s", n=s) for s in skm.SCORES],
    )
    names = skm.element_names(locale)
    for i, key in enumerate(skm.ELEMENT_KEYS):
        nrr = r.nrr[key]
        elements.rows.append(
            [
                i + 1,
                names[i] if locale == "id" else _(names[i]),
                r.answered[key],
                r.totals[key],
                nrr_value(nrr),
                nrr_value(nrr * weight) if nrr is not None else None,
                *(report.distribution[key][s] for s in skm.SCORES),
            ]
        )
    band = r.band
    overall = Table(
        "skm_overall",
        _("SKM overall"),
        [_("Figure"), _("Value")],
        [
            [_("Respondents"), r.respondents],
            [_("Weight per element"), weighting_label(r.weighting)],
            [_("IKM (sum of NRR x weight)"), nrr_value(r.ikm)],
            [_("SKM value (IKM x 25)"), float(r.skm_rounded()) if r.skm is not None else None],
            [_("Quality"), f"{band.grade} ({band_name(band, locale)})" if band else None],
            [_("Suggestions written"), report.suggestions],
        ],
    )
    return [elements, overall]


def weighting_label(weighting: str) -> str:
    if weighting == skm.EXACT:
        return _("1/9 exactly")
    return _("0.11 (as printed in PermenPANRB 14/2017)")


def band_name(band: skm.Band, locale: str) -> str:
    return band.name_id if locale == "id" else _(band.name_en)


def indo_date(day: date, locale: str = "id") -> str:
    """Senin, 23 November 2026 (or Monday, 23 November 2026)."""
    return timeutil.long_date(day, locale)


def month_name(day: date, locale: str = "id") -> str:
    return timeutil.month_year(day, locale)
