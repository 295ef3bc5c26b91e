"""The kiosk app: citizens take a ticket on a touchscreen; a thermal ticket prints."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app, socketio_of


def init_app(app: Flask) -> None:
    """Add the kiosk's pages, API and Socket.IO handlers to ``app``."""
    from kiosk import alerts_api, api, booking_api, booking_pages, checkin_api, sockets, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(booking_api.bp)
    app.register_blueprint(booking_pages.bp)
    app.register_blueprint(checkin_api.bp)
    app.register_blueprint(alerts_api.bp)
    socketio_of(app).on_namespace(sockets.KioskNamespace())


def create_app(config: Config | None = None) -> Flask:
    """The kiosk app alone, e.g. on the kiosk PC next to its USB printer."""
    app = create_base_app(config, name="kiosk")
    init_app(app)
    return app
