"""The clerk's pages: pick a counter (remembered in a cookie), then the console itself."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from counter.access import STAFF, counter_for_user, visible_counters
from counter.blueprint import bp
from shared.models import Doctor
from shared.web.auth import require_roles
from shared.web.database import get_session

COOKIE = "antre_counter"


@bp.get("/pick")
@require_roles(*STAFF)
def pick():
    counters = visible_counters()
    remembered = request.cookies.get(COOKIE, "")
    if remembered.isdigit() and request.args.get("change") is None:
        chosen = next((c for c in counters if c.id == int(remembered)), None)
        if chosen is not None:
            return redirect(url_for("counter.console", counter_id=chosen.id))
    return render_template("counter/pick.html", counters=counters)


@bp.post("/pick")
@require_roles(*STAFF)
def pick_counter():
    raw = request.form.get("counter_id", "")
    if not raw.isdigit():
        return redirect(url_for("counter.pick", change=1))
    counter = counter_for_user(int(raw))
    response = redirect(url_for("counter.console", counter_id=counter.id))
    response.set_cookie(
        COOKIE,
        str(counter.id),
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],  # over https only when served so
    )
    return response


@bp.get("/console/<int:counter_id>")
@require_roles(*STAFF)
def console(counter_id: int):
    counter = counter_for_user(counter_id)
    # A consulting room's doctor, named in the header: the room calls only that doctor's queue.
    doctor = get_session().get(Doctor, counter.doctor_id) if counter.doctor_id else None
    return render_template("counter/console.html", counter=counter, doctor=doctor)
