"""The web service BPJS Kesehatan's Mobile JKN calls at a hospital (WS Antrean RS, inbound).

Its own small package rather than a part of the kiosk: its caller is another system, not a
citizen at a touchscreen, with its own authentication (BPJS's token) and its own wire format.
Registered by ``run.py`` next to the apps; it imports only ``shared`` (docs/architecture.md).
"""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app


def init_app(app: Flask) -> None:
    from mobilejkn import api, fktp_api  # noqa: F401 - fktp_api adds its routes to api.bp

    app.register_blueprint(api.bp)


def create_app(config: Config | None = None) -> Flask:
    """The web service alone: ``antre-app@mobilejkn`` behind nginx's ``/jkn/`` (deploy/)."""
    app = create_base_app(config, name="mobilejkn")
    init_app(app)
    return app
