"""The web service BPJS Kesehatan's Mobile JKN calls at a hospital (WS Antrean RS, inbound).

Its own small package rather than a part of the kiosk: its caller is another system, not a
citizen at a touchscreen, with its own authentication (BPJS's token) and its own wire format.
Registered by ``run.py`` next to the apps; it imports only ``shared`` (docs/architecture.md).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from mobilejkn import api

    app.register_blueprint(api.bp)
