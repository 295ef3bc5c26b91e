"""Staff sign-in state (Flask-Login) and the server-side checks every staff endpoint uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort
from flask_login import LoginManager, current_user

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


def require_roles(*roles: str) -> Callable:
    """Signed in with one of ``roles`` (any role when none are given), else 401/403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def checked(*args, **kwargs):
            if not current_user.is_authenticated:
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
