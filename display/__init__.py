"""The display app: lobby TVs, voice announcements and the ticket page behind the QR code."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app


def init_app(app: Flask) -> None:
    """Add the display's pages, API and Socket.IO handlers to ``app``."""
    from display import survey, views

    app.register_blueprint(views.bp)
    app.register_blueprint(survey.bp)


def create_app(config: Config | None = None) -> Flask:
    """The display app alone, serving TVs and citizens' phones."""
    app = create_base_app(config, name="display")
    init_app(app)
    return app
