"""Staff reports: tickets, times, arrivals and SKM for a period and scope (/counter/reports/)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from sqlalchemy import select

from counter import reports_charts, reports_export
from counter.reports_access import (
    ReportForbidden,
    check_scope,
    default_scope,
    query_scope,
    scope_label,
    scope_options,
    scope_value,
    target_site_id,
)
from counter.reports_freshness import freshness_note
from counter.reports_tables import (
    PERIOD_NAMES,
    SCOPE_NAMES,
    clerk_service_table,
    indo_date,
    skm_tables,
    target_table,
    ticket_tables,
    weighting_label,
)
from counter.site_scope import current_site
from shared import skm, timeutil
from shared.models import Service, StaffUser
from shared.queue.sites import get_site
from shared.reports import (
    Scope,
    clerk_service_report,
    parse_period,
    parse_scope,
    skm_report,
    step_target_report,
    ticket_report,
)
from shared.web.auth import require_roles
from shared.web.database import get_session, reading_session
from shared.web.errors import error_response, translate, wants_json

bp = Blueprint(
    "reports",
    __name__,
    url_prefix="/counter/reports",
    template_folder="templates",
    static_folder="static",
)
ROLES = (StaffUser.ADMIN, StaffUser.SUPERVISOR, StaffUser.CLERK)


@bp.app_template_filter("indo_date")
def _indo_date(value, locale="id"):
    return indo_date(value, locale)


@bp.context_processor
def _names():
    from flask_babel import gettext

    return {
        "period_names": {k: gettext(v) for k, v in PERIOD_NAMES.items()},
        "scope_names": {k: gettext(v) for k, v in SCOPE_NAMES.items()},
    }


def _weighting(site) -> str:
    """The SKM weighting the site chose (its reports follow it, as printed for its agencies)."""
    weighting = site.skm_weight
    return weighting if weighting in skm.WEIGHTS else skm.EXACT


def _report_site(session, target):
    """The site whose clock and SKM weighting a report follows: its target's, else the one
    worked on."""
    if target is None:
        return current_site()
    return get_site(session, target_site_id(target))


def build(kind_default: str = "day") -> dict:
    """Parse the query, check the scope, compute both reports (one place for every view)."""
    session = reading_session()
    args = request.args
    scope = _asked_scope(args)
    target = check_scope(session, scope)
    mall = _report_site(session, target)
    today = timeutil.business_date(timeutil.now_utc(), mall.timezone)
    period = parse_period(
        args.get("period", kind_default), args.get("start"), args.get("end"), today
    )
    figures = query_scope(scope, mall.id)
    tickets = ticket_report(session, period, figures)
    survey = skm_report(session, period, figures, _weighting(mall))
    per_clerk = clerk_service_table(*_clerk_service(session, period, figures))
    targets = target_table(step_target_report(session, period, figures))
    locale = str(get_locale())
    tables = ticket_tables(tickets, locale) + [per_clerk, targets] + skm_tables(survey, locale)
    return {
        "scope_value": scope_value(scope),
        "mall": mall,
        "period": period,
        "scope": scope,
        "target": target,
        "scope_label": scope_label(scope, target),
        "tickets": tickets,
        "survey": survey,
        "tables": tables,
        "by": {table.key: table for table in tables},
        "locale": locale,
        "zone": timeutil.zone_abbreviation(mall.timezone),
        "weighting_text": weighting_label(survey.result.weighting),
        "freshness": freshness_note(session, mall.timezone, locale),
    }


def _asked_scope(args) -> Scope:
    """``target=agency:3`` (the page's one select of names), or ``scope=agency&id=3``."""
    if args.get("target"):
        kind, _, ident = args["target"].partition(":")
        return parse_scope(kind, ident or None)
    if args.get("scope"):
        return parse_scope(args.get("scope"), args.get("id"))
    return default_scope()


@bp.errorhandler(ReportForbidden)
def _forbidden(error: ReportForbidden):
    """Not a bare 403: what the user may see, and the way to their own report."""
    if wants_json():
        return error_response(error.status, error.code, translate(error))
    page = render_template("reports/forbidden.html", message=translate(error))
    return page, error.status


def _clerk_service(session, period, scope):
    rows = clerk_service_report(session, period, scope)
    clerk_ids, service_ids = {r.clerk_id for r in rows}, {r.service_id for r in rows}
    clerks = session.execute(
        select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(clerk_ids))
    )
    services = session.execute(select(Service.id, Service.name).where(Service.id.in_(service_ids)))
    return rows, dict(clerks.all()), dict(services.all())


@bp.get("/")
@require_roles(*ROLES)
def index():
    report = build()
    charts = reports_charts.charts_for(report)
    options = scope_options(get_session())
    return render_template("reports/index.html", charts=charts, scope_options=options, **report)


@bp.get("/export.csv")
@require_roles(*ROLES)
def export_csv():
    return reports_export.csv_response(build())


@bp.get("/export.xlsx")
@require_roles(*ROLES)
def export_xlsx():
    return reports_export.xlsx_response(build())


@bp.get("/skm/print")
@require_roles(*ROLES)
def skm_print():
    """The monthly SKM report agencies publish, laid out for A4."""
    report = build(kind_default="month")
    charts = reports_charts.charts_for(report)
    return render_template("reports/skm_print.html", charts=charts, **report)
