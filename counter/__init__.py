"""The counter app: clerks call and serve tickets; supervisors and admins run the mall."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app


def init_app(app: Flask) -> None:
    """Add the staff pages, API and Socket.IO handlers to ``app``."""
    from counter import views

    app.register_blueprint(views.bp)
    app.register_blueprint(__import__("counter.reports").reports.bp)  # issue 6: reports


def create_app(config: Config | None = None) -> Flask:
    """The counter (staff) app alone, e.g. on the office server."""
    app = create_base_app(config, name="counter")
    init_app(app)
    return app
