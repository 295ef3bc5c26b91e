"""Supervisors' live dashboard: their agency; admins: every agency and the whole site worked on
(counter.site_scope)."""

from __future__ import annotations

from flask import abort, jsonify, render_template
from flask_babel import gettext
from flask_login import current_user

from counter.access import MANAGERS, visible_agencies
from counter.blueprint import bp
from counter.site_scope import current_site
from counter.snapshots import failed_prints
from shared import timeutil
from shared.models import Agency, StaffUser
from shared.printing.problems import STATES
from shared.queue.dashboard import agency_overview, kiosk_health, mall_totals
from shared.queue.sites import get_site
from shared.web.auth import may_manage_agency, require_roles
from shared.web.database import get_session
from shared.web.inputs import Id, Query, parse_query


class DashboardQuery(Query):
    agency_id: Id | None = None


@bp.get("/dashboard")
@require_roles(*MANAGERS)
def dashboard():
    states = {state: gettext(words) for state, words in STATES.items()}
    return render_template(
        "counter/dashboard.html",
        agencies=visible_agencies(),
        printer_states=states,
        site=current_site(),
    )


@bp.get("/api/dashboard")
@require_roles(*MANAGERS)
def dashboard_data():
    session = get_session()
    wanted = parse_query(DashboardQuery).agency_id
    site = current_site()
    agencies = visible_agencies()
    if wanted is not None:
        # One agency the user may manage (an installation admin's may be of another site).
        if not may_manage_agency(current_user, wanted):
            abort(403)
        agencies = [session.get(Agency, wanted)]
        site = get_site(session, agencies[0].site_id)
    now = timeutil.now_utc()
    day = timeutil.business_date(now, site.timezone)
    overview = [agency_overview(session, a, day, now) for a in agencies]
    failed = [t for a in agencies for t in failed_prints(session, a.id, day)]
    kiosks = kiosk_health(session, now, site.id)
    if current_user.role != StaffUser.ADMIN:
        # Kiosks serve many agencies: a supervisor sees those that offer theirs.
        kiosks = [k for k in kiosks if _kiosk_shows(session, k["id"], current_user.agency_id)]
    return jsonify(
        {
            "agencies": overview,
            "site": mall_totals(overview) if current_user.role == StaffUser.ADMIN else None,
            "kiosks": kiosks,
            "failed_prints": failed,
            "now": now.isoformat(),
        }
    )


def _kiosk_shows(session, kiosk_id: int, agency_id: int | None) -> bool:
    from shared.models import Kiosk

    kiosk = session.get(Kiosk, kiosk_id)
    return not kiosk.agency_ids or agency_id in kiosk.agency_ids
