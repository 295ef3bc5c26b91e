"""The front page of the embedded default: where each screen of each site lives."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import select

from shared.models import Display
from shared.queue.sites import active_sites
from shared.web.database import get_session

bp = Blueprint("portal", __name__)


@bp.get("/")
def index():
    session = get_session()
    sites = active_sites(session)
    displays = session.execute(select(Display).order_by(Display.id)).scalars().all()
    by_site = {site.id: [d for d in displays if d.site_id == site.id] for site in sites}
    return render_template("portal.html", sites=sites, displays=by_site)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
