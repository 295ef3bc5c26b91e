"""Sites compared over a period (/counter/reports/sites) and its CSV, for the installation admin.

Each site keeps its own full report (/counter/reports/?site=…); this page puts the headline
figures of every site side by side. The waiting target is read from the waiting-time histogram
(tickets called less than N minutes after they were issued), N chosen on the page (15 by default).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, ClassVar

from flask import Response, render_template, request
from flask_babel import get_locale, gettext
from pydantic import Field

from counter.blueprint import bp
from counter.regional import require_installation_admin
from counter.reports_freshness import freshness_note
from counter.reports_tables import PERIOD_NAMES, Table, band_name
from shared import skm, timeutil
from shared.enums import TicketStatus
from shared.queue.errors import N_
from shared.queue.sites import default_site
from shared.regional_reports import WAIT_TARGET_MINUTES, SiteFigures, compare_sites
from shared.reports import parse_period
from shared.web.database import reading_session
from shared.web.inputs import Query, parse_query
from shared.web.vocabulary import site_kind_label


class CompareQuery(Query):
    wait_target: Annotated[int, Field(ge=1, le=240)] = WAIT_TARGET_MINUTES
    hints: ClassVar[dict[str, str]] = {
        "wait_target": N_("The waiting target must be a number of minutes (1 to 240).")
    }


def _share(part: float | None) -> float | None:
    return None if part is None else round(part * 100, 1)


def _skm(figures: SiteFigures) -> float | None:
    result = figures.skm
    return float(result.skm_rounded()) if result and result.skm is not None else None


def _band(figures: SiteFigures, locale: str) -> str | None:
    band = figures.skm.band if figures.skm else None
    return f"{band.grade} ({band_name(band, locale)})" if band else None


def _weight(weighting: str, locale: str) -> str:
    """1/9 or 0.11, short (the page's note says what they are)."""
    if weighting == skm.EXACT:
        return "1/9"
    return "0,11" if locale == "id" else "0.11"


def comparison_table(figures: list[SiteFigures], target: int, locale: str) -> Table:
    """One row per site: the page's table and the CSV's."""
    table = Table(
        "sites",
        gettext("Sites compared"),
        [
            gettext("Site"),
            gettext("Kind"),
            gettext("Time zone"),
            gettext("Issued"),
            gettext("Served"),
            TicketStatus.NO_SHOW.label,
            gettext("Waiting p50 (min)"),
            gettext("Waiting p90 (min)"),
            gettext("Service p50 (min)"),
            gettext("Service p90 (min)"),
            gettext("Called within %(minutes)s min (%%)", minutes=target),
            gettext("Served within the standard (%)"),
            gettext("SKM"),
            gettext("Quality"),
            gettext("Respondents"),
            gettext("SKM weight"),
        ],
    )
    for f in figures:
        table.rows.append(
            [
                f.site.name,
                site_kind_label(f.site.kind),
                timeutil.zone_abbreviation(f.site.timezone),
                f.issued,
                f.served,
                f.no_show,
                f.wait.median_minutes,
                f.wait.p90_minutes,
                f.service.median_minutes,
                f.service.p90_minutes,
                _share(f.within_target_share),
                _share(f.within_standard_share),
                _skm(f),
                _band(f, locale),
                f.skm.respondents,
                _weight(f.skm.weighting, locale),
            ]
        )
    return table


def build() -> dict:
    session = reading_session()
    target = parse_query(CompareQuery).wait_target
    # "Today" of the first site: a default period only; each site's rows carry its own dates.
    today = timeutil.business_date(timeutil.now_utc(), default_site(session).timezone)
    args = request.args
    period = parse_period(args.get("period", "month"), args.get("start"), args.get("end"), today)
    figures = compare_sites(session, period, wait_target_minutes=target)
    locale = str(get_locale())
    return {
        "period": period,
        "wait_target": target,
        "figures": figures,
        "table": comparison_table(figures, target, locale),
        "locale": locale,
        "period_names": {k: gettext(v) for k, v in PERIOD_NAMES.items()},
        "freshness": freshness_note(session, default_site(session).timezone, locale),
    }


@bp.get("/reports/sites")
@require_installation_admin
def regional_report():
    return render_template("counter/regional_report.html", **build())


@bp.get("/reports/sites/export.csv")
@require_installation_admin
def regional_report_csv():
    report = build()
    period, table = report["period"], report["table"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["report", "antre-sites"])
    writer.writerow(["period", period.kind, period.start.isoformat(), period.end.isoformat()])
    writer.writerow(["wait_target_minutes", report["wait_target"]])
    writer.writerow([])
    writer.writerow(["slug", *table.headers])
    for figures, row in zip(report["figures"], table.rows, strict=True):
        writer.writerow([figures.site.slug, *("" if v is None else v for v in row)])
    name = f"antre-sites-{period.start}-{period.end}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM lets Excel read the UTF-8 names
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
