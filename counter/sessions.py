"""Idle timeout: a staff session unused for ``session_idle_minutes`` signs itself out.

The time of the last request is kept in the (signed) session cookie; every counter request checks
and refreshes it (and so does every staff endpoint of any app, in shared.web.auth.require_roles).
The console's background refreshes count as use, which is what a clerk at an open counter wants;
a forgotten browser in the back office times out. Use does not keep a session alive forever
either: ``session_max_hours`` after signing in it ends, however busy.
"""

from __future__ import annotations

from flask import Flask

from counter.blueprint import bp
from shared.web.auth import LAST_SEEN, SIGNED_IN, check_idle

__all__ = ["LAST_SEEN", "SIGNED_IN", "check_idle", "init_app"]


@bp.before_request
def _idle_timeout() -> None:
    check_idle()


def init_app(app: Flask) -> None:
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", 12 * 3600)
