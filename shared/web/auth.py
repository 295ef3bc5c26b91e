"""Staff sign-in state (Flask-Login) and the server-side checks every staff endpoint uses."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, flash, session
from flask_babel import gettext
from flask_login import LoginManager, current_user, logout_user
from sqlalchemy import bindparam, select

from shared import config_cache, rows
from shared.models import Agency, Site, StaffUser
from shared.sql import plain_rows
from shared.staff_sessions import parse_session_id
from shared.web.database import get_session

login_manager = LoginManager()
login_manager.session_protection = "basic"


# With the user's site's configuration stamp, which the request's use of what the process keeps
# would read next (shared/config_cache.py): every staff request reads the user first.
# The user's columns and the site's stamp, a plain read made an object by rows.loaded: every
# staff request reads it, and the ORM's handling cost more than twice the read.
_USER = (
    select(*rows.columns_of(StaffUser), Site.config_stamp)
    .outerjoin(Site, Site.id == StaffUser.site_id)
    .where(StaffUser.id == bindparam("user_id"))
)


@login_manager.user_loader
def load_user(session_id: str) -> StaffUser | None:
    """The user of a session id "<id>:<generation>", if active and the session not revoked."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    session = get_session()
    found = plain_rows(session, _USER, {"user_id": parsed[0]}).first()
    if found is None:
        return None
    user, stamp = rows.loaded(session, StaffUser, found[:-1], refresh=False), found[-1]
    if not user.active or user.session_generation != parsed[1]:
        return None
    config_cache.note_stamp(session, user.site_id, stamp)
    return user


# The time of the session's last request, and of its sign-in, in the (signed) session cookie.
LAST_SEEN = "counter_last_seen"
SIGNED_IN = "counter_signed_in"
# The idle clock moves in steps of this many seconds: a request that would move it less leaves
# the session as it is, so the cookie is not signed and sent again (a clerk's console makes
# several requests a minute). A session may so end up to this much sooner, never later.
LAST_SEEN_STEP = 30


def check_idle() -> bool:
    """Sign out a user idle for ``session_idle_minutes``, or signed in longer ago than
    ``session_max_hours`` (use re-signs the cookie, at most every ``LAST_SEEN_STEP`` seconds,
    so without this a copied cookie in use would live for ever); True if the session was still
    fresh (or nobody was signed in). Every staff endpoint and the /counter socket check it,
    whichever app serves them, so a forgotten browser times out everywhere at once."""
    if not current_user.is_authenticated:
        return True
    config = current_app.config["ANTRE"]
    now = time.time()
    last = session.get(LAST_SEEN)
    signed_in = session.get(SIGNED_IN)
    if last is not None and now - float(last) > config.session_idle_minutes * 60:
        _end_session(gettext("You were signed out after a period of inactivity."))
        return False
    if signed_in is None or now - float(signed_in) > config.session_max_hours * 3600:
        _end_session(gettext("Your session has ended: please sign in again."))
        return False
    if last is None or now - float(last) >= LAST_SEEN_STEP:
        session[LAST_SEEN] = now
    return True


def _end_session(message: str) -> None:
    logout_user()
    session.pop(LAST_SEEN, None)
    session.pop(SIGNED_IN, None)
    flash(message)


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


_SITE_OF_AGENCY = select(Agency.site_id).where(Agency.id == bindparam("agency_id"))  # built once


def may_manage_agency(user: StaffUser, agency_id: int | None, session=None) -> bool:
    """Whether ``user`` may act on ``agency_id``: their own agency, or (admins) an agency of
    their site; an installation admin, any agency."""
    if agency_id is None:
        return False
    if user.role != StaffUser.ADMIN:  # their own agency only, whose row exists (a foreign key)
        return user.can_manage_agency(agency_id)
    found = (session or get_session()).execute(_SITE_OF_AGENCY, {"agency_id": agency_id})
    site_id = found.scalar_one_or_none()
    return site_id is not None and user.can_manage_agency(agency_id, site_id)


def require_agency(agency_id: int | None) -> None:
    """403 unless the signed-in user may act on ``agency_id``."""
    if not current_user.is_authenticated or not may_manage_agency(current_user, agency_id):
        abort(403)


def require_site(site_id: int | None) -> None:
    """403 unless the signed-in user may act on things of the site ``site_id``."""
    if not current_user.is_authenticated or not current_user.can_manage_site(site_id):
        abort(403)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
