"""BPJS Antrean Online pages of the site worked on: the bridge (admins; secrets masked, "leave
empty to keep") and each JKN visit's task timeline (supervisors and admins): what was sent and
when, what waits, what BPJS refused and why, with a retry of the refused calls."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from counter.blueprint import bp
from counter.site_scope import current_site
from shared import timeutil
from shared.audit import record_audit
from shared.bpjs import bridges
from shared.bpjs.report import TASKS, bpjs_wait_report
from shared.bpjs.sealing import Unreadable, masked, unseal
from shared.models import BpjsVisit, OutboxMessage, Visit
from shared.outbox import replay
from shared.web.auth import require_roles
from shared.web.database import get_session

VISITS = 100


def _masked(config, token: str) -> str:
    try:
        return masked(unseal(config, token))
    except Unreadable:
        return gettext("(unreadable: set it again)")


@bp.get("/admin/bpjs/")
@require_roles("admin")
def bpjs_settings():
    site = current_site()
    bridge = bridges.bridge_of(get_session(), site.id)
    config = current_app.config["ANTRE"]
    shown = None
    if bridge is not None:
        shown = {
            "secret": _masked(config, bridge.secret),
            "user_key": _masked(config, bridge.user_key),
        }
    return render_template(
        "counter/admin/bpjs.html", site=site, bridge=bridge, shown=shown, error=None
    )


@bp.post("/admin/bpjs/")
@require_roles("admin")
def bpjs_save():
    site = current_site()
    session = get_session()
    form = request.form
    url = form.get("url_choice", "")
    if url == "custom":
        url = form.get("url", "").strip()
    try:
        bridges.set_bridge(
            session,
            current_app.config["ANTRE"],
            site.id,
            cons_id=form.get("cons_id", "").strip()[:40],
            secret=form.get("secret", "")[:200],
            user_key=form.get("user_key", "")[:200],
            url=url[:300],
            variant=form.get("variant") or None,
            active=bool(form.get("active")),
        )
    except ValueError:
        session.rollback()
        flash(gettext("Fill in the cons-id, secret, user key and a valid URL."))
        return redirect(url_for("counter.bpjs_settings"))
    record_audit(session, current_user, "bpjs.configure", "site", site.id, {})
    session.commit()
    flash(gettext("BPJS bridge saved."))
    return redirect(url_for("counter.bpjs_settings"))


def _state(message: OutboxMessage) -> str:
    if message.delivered_at is not None:
        return "sent"
    return "refused" if message.failed_at is not None else "waiting"


@bp.get("/admin/bpjs/visits")
@require_roles("supervisor", "admin")
def bpjs_visits():
    site = current_site()
    session = get_session()
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = timeutil.business_date(timeutil.now_utc(), site.timezone)
    records = session.execute(
        select(BpjsVisit)
        .join(Visit, Visit.id == BpjsVisit.visit_id)
        .where(BpjsVisit.site_id == site.id, Visit.business_date == day)
        .order_by(BpjsVisit.visit_id.desc())
        .limit(VISITS)
    ).scalars()
    timelines = []
    for record in records:
        messages = session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.key == f"bpjs:{record.kodebooking}")
            .order_by(OutboxMessage.id)
        ).scalars()
        rows = [(m, _state(m)) for m in messages]
        timelines.append((record, rows))
    return render_template(
        "counter/admin/bpjs_visits.html", site=site, day=day, timelines=timelines
    )


def _day_arg(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


@bp.get("/admin/bpjs/report")
@require_roles("supervisor", "admin")
def bpjs_report():
    """BPJS's waiting time per task, poli and day, from our log next to what BPJS accepted, and
    the share of JKN visits that came with a booking code (shared/bpjs/report.py)."""
    site = current_site()
    today = timeutil.business_date(timeutil.now_utc(), site.timezone)
    end = _day_arg("to", today)
    start = min(_day_arg("from", end), end)
    if (end - start).days > 31:  # a month at most: the report reads each visit's log
        start = end - timedelta(days=31)
    rows = bpjs_wait_report(get_session(), site, start, end)
    return render_template(
        "counter/admin/bpjs_report.html", site=site, start=start, end=end, rows=rows, tasks=TASKS
    )


@bp.post("/admin/bpjs/visits/<int:visit_id>/retry")
@require_roles("supervisor", "admin")
def bpjs_retry(visit_id: int):
    session = get_session()
    record = session.get(BpjsVisit, visit_id)
    if record is None or record.site_id != current_site().id:
        abort(404)
    refused = session.execute(
        select(OutboxMessage)
        .where(
            OutboxMessage.key == f"bpjs:{record.kodebooking}", OutboxMessage.failed_at.is_not(None)
        )
        .order_by(OutboxMessage.id)
    ).scalars()
    now = timeutil.now_utc()
    count = 0
    for message in refused:  # in their order: the outbox keeps it per kodebooking
        replay(session, message, now)
        count += 1
    record_audit(session, current_user, "bpjs.retry", "visit", visit_id, {"messages": count})
    session.commit()
    flash(gettext("Queued again: %(n)s calls to BPJS.", n=count))
    return redirect(url_for("counter.bpjs_visits"))
