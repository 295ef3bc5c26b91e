"""Staff sign-in state (Flask-Login) and the server-side checks every staff endpoint uses."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, flash, session
from flask_babel import gettext
from flask_login import LoginManager, current_user, logout_user

from shared.models import StaffUser
from shared.web.database import get_session

login_manager = LoginManager()
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    if not user_id.isdigit():
        return None
    user = get_session().get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


# The time of the session's last request, in the (signed) session cookie.
LAST_SEEN = "counter_last_seen"


def check_idle() -> bool:
    """Sign out a user idle for ``session_idle_minutes``; True if the session was still fresh
    (or nobody was signed in). Every staff endpoint and the /counter socket check it, whichever
    app serves them, so a forgotten browser times out everywhere at once."""
    if not current_user.is_authenticated:
        return True
    now = time.time()
    last = session.get(LAST_SEEN)
    if (
        last is not None
        and now - float(last) > current_app.config["ANTRE"].session_idle_minutes * 60
    ):
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(gettext("You were signed out after a period of inactivity."))
        return False
    session[LAST_SEEN] = now
    return True


def require_roles(*roles: str) -> Callable:
    """Signed in (and not idle) with one of ``roles`` (any role when none are given), else
    401/403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            if not check_idle() or not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorate


def require_agency(agency_id: int | None) -> None:
    """403 unless the signed-in user may act on ``agency_id``."""
    if not current_user.is_authenticated or not current_user.can_manage_agency(agency_id):
        abort(403)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
