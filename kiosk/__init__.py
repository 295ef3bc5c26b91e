"""The kiosk app: citizens take a ticket on a touchscreen; a thermal ticket prints."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app


def init_app(app: Flask) -> None:
    """Add the kiosk's pages, API and Socket.IO handlers to ``app``."""
    from kiosk import booking_api, booking_pages, views

    app.register_blueprint(views.bp)
    app.register_blueprint(booking_api.bp)
    app.register_blueprint(booking_pages.bp)


def create_app(config: Config | None = None) -> Flask:
    """The kiosk app alone, e.g. on the kiosk PC next to its USB printer."""
    app = create_base_app(config, name="kiosk")
    init_app(app)
    return app
