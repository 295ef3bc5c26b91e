"""The audit log: admin changes and sensitive clerk actions, filterable.

An installation admin sees everything; a site admin, what the staff of their site did; a
supervisor, what the staff of their agency did.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from counter.access import MANAGERS
from counter.blueprint import bp
from counter.site_scope import current_site
from shared.models import AuditLog, StaffUser
from shared.web.auth import require_roles
from shared.web.database import get_session

PAGE = 200


def _day(raw: str, tz: str, *, end: bool = False) -> datetime | None:
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        return None
    start = datetime.combine(day, time.min, ZoneInfo(tz))
    return start + timedelta(days=1) if end else start


@bp.get("/audit")
@require_roles(*MANAGERS)
def audit_log():
    session = get_session()
    tz = current_site().timezone
    args = request.args
    stmt = select(AuditLog, StaffUser).outerjoin(StaffUser, StaffUser.id == AuditLog.actor_id)
    if current_user.role != StaffUser.ADMIN:
        stmt = stmt.where(StaffUser.agency_id == current_user.agency_id)
    elif not current_user.is_installation_admin:
        stmt = stmt.where(StaffUser.site_id == current_user.site_id)
    if args.get("action"):
        stmt = stmt.where(AuditLog.action.startswith(args["action"][:40]))
    if args.get("actor"):
        stmt = stmt.where(StaffUser.username == args["actor"][:60])
    if args.get("target_type"):
        stmt = stmt.where(AuditLog.target_type == args["target_type"][:30])
    since, until = _day(args.get("from", ""), tz), _day(args.get("to", ""), tz, end=True)
    if since:
        stmt = stmt.where(AuditLog.at >= since)
    if until:
        stmt = stmt.where(AuditLog.at < until)
    rows = session.execute(stmt.order_by(AuditLog.id.desc()).limit(PAGE)).all()
    actions = session.execute(select(AuditLog.action).distinct().order_by(AuditLog.action))
    return render_template(
        "counter/audit.html",
        rows=rows,
        tz=tz,
        actions=list(actions.scalars()),
        args=args,
        limit=PAGE,
    )


@bp.app_template_filter("counter_local")
def local_time(moment: datetime | None, tz: str) -> str:
    """Indonesian style: 23-11-2026 08.30."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(tz))
    return local.strftime("%d-%m-%Y %H.%M")
