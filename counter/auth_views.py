"""Sign in (rate-limited, argon2), sign out, and the front door that sends each role home."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user

from counter.blueprint import bp
from counter.sessions import LAST_SEEN, SIGNED_IN
from shared.accounts import authenticate, revoke_sessions
from shared.models import StaffUser
from shared.web.auth import login_manager
from shared.web.database import get_session
from shared.web.errors import error_response, wants_json
from shared.web.limits import limiter


@login_manager.unauthorized_handler
def _unauthorized():
    """The API answers 401 JSON (the console reloads into the sign-in page); pages redirect."""
    if wants_json():
        return error_response(401, "unauthorized", gettext("Please sign in first."))
    return redirect(url_for("counter.login", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str | None:
    # Only paths of this app: no open redirect to another host.
    if target and target.startswith("/counter/") and not target.startswith("//"):
        return target
    return None


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("counter.login"))
    if current_user.role == StaffUser.CLERK:
        return redirect(url_for("counter.pick"))
    return redirect(url_for("counter.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def login():
    if request.method == "GET":
        return render_template("counter/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    demo = current_app.config["ANTRE"].demo
    user = authenticate(get_session(), username, password, demo=demo)
    if user is None:
        flash(gettext("Wrong username or password."))
        return render_template("counter/login.html", next=request.form.get("next", "")), 401
    login_user(user)
    session[LAST_SEEN] = session[SIGNED_IN] = time.time()
    return redirect(_safe_next(request.form.get("next")) or url_for("counter.index"))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # Server-side: a copy of this cookie (or any other session of the user) stops working,
        # and the user's open console sockets are dropped after the commit.
        revoke_sessions(current_user._get_current_object())
        get_session().commit()
    logout_user()
    session.pop(LAST_SEEN, None)
    session.pop(SIGNED_IN, None)
    flash(gettext("You are signed out."))
    return redirect(url_for("counter.login"))
