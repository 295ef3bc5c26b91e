"""What every Antre Flask app is built on: config, database, Socket.IO, Babel, errors, headers.

``create_base_app()`` makes a bare app; ``kiosk``, ``counter`` and ``display`` each add their
blueprint and Socket.IO namespace with their own ``init_app(app)``. ``run.py`` builds one base app
and lets all three add themselves, so one process serves everything with one Socket.IO server.
"""

from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import events, staff_sessions
from shared.config import PROJECT_ROOT, Config
from shared.db import make_engine, make_session_factory
from shared.web import (
    assets,
    auth,
    database,
    errors,
    i18n,
    limits,
    security,
    signed,
    startup,
    vocabulary,
    websocket,
)

csrf = signed.CSRFProtect()


def create_base_app(config: Config | None = None, name: str = "antre") -> Flask:
    config = config or Config.from_env()
    config.check_production_safety()
    app = Flask(
        name,
        instance_path=config.instance_path,
        template_folder=str(PROJECT_ROOT / "shared" / "web" / "templates"),
        static_folder=str(PROJECT_ROOT / "shared" / "web" / "static"),
        static_url_path="/static/shared",
    )
    app.config.update(config.flask_settings())
    app.session_interface = signed.SessionInterface()

    socketio = SocketIO()
    path = config.socketio_path or ("socket.io" if name == "antre" else f"{name}/socket.io")
    app.jinja_env.globals["socketio_path"] = "/" + path.strip("/")
    socketio.init_app(
        app,
        path=path.strip("/"),
        async_mode=config.async_mode,
        message_queue=config.message_queue or None,
        channel=config.socketio_channel,
        manage_session=False,
        ping_interval=config.socketio_ping_interval,
        ping_timeout=config.socketio_ping_timeout,
    )
    websocket.install(socketio.server.eio)
    staff_sessions.watch_revocations(socketio)
    engine = make_engine(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    startup.disable_defaults(config, engine)
    local_fan_out = config.async_mode == "gevent" and not config.message_queue
    publisher = events.SocketIOPublisher(socketio, after_response=local_fan_out)
    database.init_app(app, engine, make_session_factory(engine, publisher))

    csrf.init_app(app)
    i18n.init_app(app)
    vocabulary.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    limits.init_app(app)
    auth.init_app(app)
    if config.proxy_hops:
        # Outermost, so that Socket.IO's handshakes see the client's address too.
        hops = config.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def socketio_of(app: Flask) -> SocketIO:
    return app.extensions["socketio"]
