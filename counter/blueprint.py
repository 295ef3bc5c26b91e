"""The counter app's one blueprint: pages under /counter/, JSON under /counter/api/."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint(
    "counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static"
)


@bp.app_context_processor
def _site_switcher() -> dict:
    from counter.site_scope import site_switcher

    return {"site_switcher": site_switcher}  # called by the staff layout only
