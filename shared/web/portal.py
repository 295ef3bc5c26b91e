"""The front page of the embedded default: where each screen lives."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import select

from shared.models import Display
from shared.queue import get_mall
from shared.web.database import get_session

bp = Blueprint("portal", __name__)


@bp.get("/")
def index():
    session = get_session()
    displays = session.execute(select(Display).order_by(Display.id)).scalars().all()
    return render_template("portal.html", mall=get_mall(session), displays=displays)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
