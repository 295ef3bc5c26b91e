"""The regional dashboard (/counter/regional): every site's queue at a glance, for the
installation admin only (a site admin runs one site and has its own dashboard)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Annotated, ClassVar

from flask import abort, jsonify, render_template
from flask_babel import gettext
from flask_login import current_user
from pydantic import Field

from counter.blueprint import bp
from shared import regional, timeutil
from shared.models import StaffUser
from shared.queue.errors import N_
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.inputs import Query, parse_query
from shared.web.vocabulary import site_kind_label

# Why a site is in trouble, in words (the dashboard never says it with colour alone).
REASON_TEXT = {
    regional.NO_COUNTER_OPEN: N_("Citizens waiting, no counter open"),
    regional.LONG_WAIT: N_("Someone has waited %(minutes)s minutes or more"),
    regional.KIOSK_OFFLINE: N_("A kiosk is not responding"),
    regional.PRINTER_FAULT: N_("A kiosk printer is offline or out of paper"),
}


def require_installation_admin(view: Callable) -> Callable:
    """Signed-in admins of the whole installation; a site admin, supervisor or clerk: 403."""

    @wraps(view)
    @require_roles(StaffUser.ADMIN)
    def checked(*args, **kwargs):
        if not current_user.is_installation_admin:
            abort(403)
        return view(*args, **kwargs)

    return checked


class RegionalQuery(Query):
    long_wait: Annotated[int, Field(ge=1, le=600)] = regional.LONG_WAIT_MINUTES
    hints: ClassVar[dict[str, str]] = {
        "long_wait": N_("The long-wait threshold must be a number of minutes (1 to 600).")
    }


def reason_text(code: str, long_wait: int) -> str:
    return gettext(REASON_TEXT[code], minutes=long_wait)


def site_row(row: regional.SiteNow, long_wait: int) -> dict:
    site = row.site
    return {
        "id": site.id,
        "slug": site.slug,
        "name": site.name,
        "kind": site.kind,
        "kind_label": site_kind_label(site.kind),
        "timezone": site.timezone,
        "zone": timeutil.zone_abbreviation(site.timezone),
        "business_date": row.business_date.isoformat(),
        "open_now": row.open_now,
        "waiting": row.waiting,
        "serving": row.serving,
        "served": row.served,
        "longest_wait_minutes": row.longest_wait_minutes,
        "counters_open": row.counters_open,
        "counters_paused": row.counters_paused,
        "kiosks": {
            "total": row.kiosks,
            "offline": row.kiosks_offline,
            "printer_faults": row.printer_faults,
        },
        "trouble": row.trouble,
        "reasons": [{"code": r, "text": reason_text(r, long_wait)} for r in row.reasons],
    }


def overview() -> dict:
    long_wait = parse_query(RegionalQuery).long_wait
    now = timeutil.now_utc()
    rows = regional.regional_overview(get_session(), now, long_wait_minutes=long_wait)
    return {
        "sites": [site_row(row, long_wait) for row in rows],
        "totals": regional.totals(rows),
        "long_wait_minutes": long_wait,
        "now": now.isoformat(),
    }


def labels() -> dict:
    """The page's words, for the table rendered here and rebuilt by regional.js."""
    return {
        "trouble": gettext("Needs attention"),
        "ok": gettext("Running normally"),
        "open_now": gettext("open now"),
        "closed_now": gettext("closed now"),
        "updated": gettext("Updated at"),
        "lost": gettext("Cannot reach the server: showing the last figures."),
        "none": gettext("No active site."),
    }


@bp.get("/regional")
@require_installation_admin
def regional_dashboard():
    return render_template("counter/regional.html", text=labels(), **overview())


@bp.get("/api/regional")
@require_installation_admin
def regional_data():
    return jsonify(overview())
