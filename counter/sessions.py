"""Idle timeout: a staff session unused for ``session_idle_minutes`` signs itself out.

The time of the last request is kept in the (signed) session cookie; every counter request checks
and refreshes it. The console's background refreshes count as use, which is what a clerk at an
open counter wants; a forgotten browser in the back office times out.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, session
from flask_babel import gettext
from flask_login import current_user, logout_user

from counter.blueprint import bp

LAST_SEEN = "counter_last_seen"


def idle_limit_seconds() -> int:
    return current_app.config["ANTRE"].session_idle_minutes * 60


def check_idle() -> bool:
    """Sign out an idle user; True if the session was still fresh (or nobody was signed in)."""
    if not current_user.is_authenticated:
        return True
    now = time.time()
    last = session.get(LAST_SEEN)
    if last is not None and now - float(last) > idle_limit_seconds():
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(gettext("You were signed out after a period of inactivity."))
        return False
    session[LAST_SEEN] = now
    return True


@bp.before_request
def _idle_timeout() -> None:
    check_idle()


def init_app(app: Flask) -> None:
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", 12 * 3600)
