"""The counter app's one blueprint: pages under /counter/, JSON under /counter/api/."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext

from counter.site_scope import NoSiteYet
from shared.web.errors import error_response, translate

bp = Blueprint(
    "counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static"
)


@bp.errorhandler(NoSiteYet)
def _no_site_yet(error: NoSiteYet):
    """The first site comes first: a page sends the installation admin to create it; the JSON
    API answers as every domain error does."""
    if request.path.startswith("/counter/api/"):
        return error_response(error.status, error.code, translate(error))
    flash(gettext(error.message), "error")
    return redirect(url_for("counter.admin_new", key="sites"))


@bp.app_context_processor
def _site_switcher() -> dict:
    from counter.site_scope import site_switcher

    return {"site_switcher": site_switcher}  # called by the staff layout only
