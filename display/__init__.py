"""The display app: lobby TVs, voice announcements, the ticket page behind the QR code and the
public list of sites (/api/sites)."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app, socketio_of


def init_app(app: Flask) -> None:
    """Add the display's pages, API and Socket.IO handlers to ``app``."""
    from display import (  # noqa: F401
        alerts_views,
        sites_api,
        sockets,
        survey,
        ticket_views,
        views,
        voice_views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(sites_api.bp)
    app.register_blueprint(ticket_views.bp)
    app.register_blueprint(alerts_views.bp)
    app.register_blueprint(survey.bp)
    socketio = socketio_of(app)
    socketio.on_namespace(sockets.DisplayNamespace(sockets.DISPLAY))
    socketio.on_namespace(sockets.TicketNamespace(sockets.TICKET))


def create_app(config: Config | None = None) -> Flask:
    """The display app alone, serving TVs and citizens' phones."""
    app = create_base_app(config, name="display")
    init_app(app)
    return app
