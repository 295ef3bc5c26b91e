"""The counter app: clerks call and serve tickets; supervisors and admins run the mall."""

from __future__ import annotations

from flask import Flask

from shared.config import Config
from shared.web import create_base_app


def init_app(app: Flask) -> None:
    """Add the staff pages, API and Socket.IO handlers to ``app``."""
    from counter import (  # noqa: F401 - importing registers the routes on the blueprint
        api,
        audit_views,
        auth_views,
        bookings,
        console,
        dashboard,
        next_steps,
        patient,
        regional,
        regional_reports,
        reports,
        sessions,
        sockets,
    )
    from counter.admin import register as register_admin
    from counter.blueprint import bp
    from shared.site_sync import views as site_sync

    register_admin()
    app.register_blueprint(bp)
    site_sync.init_app(app)  # offline sites push to the staff app (deploy/nginx.conf)
    app.register_blueprint(reports.bp)
    sockets.init_app(app)
    sessions.init_app(app)
    from counter.admin.displays import raise_upload_limit

    app.before_request_funcs.setdefault(None, []).insert(0, raise_upload_limit)


def create_app(config: Config | None = None) -> Flask:
    """The counter (staff) app alone, e.g. on the office server."""
    app = create_base_app(config, name="counter")
    init_app(app)
    return app
