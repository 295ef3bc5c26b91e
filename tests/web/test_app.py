"""The base app: configuration, refusal of demo secrets, errors in the user's language, headers."""

from __future__ import annotations

import pytest

from shared.config import DEFAULT_SECRET_KEY, Config, ConfigError


def test_config_reads_antre_variables():
    config = Config.from_env(
        {
            "ANTRE_DATABASE_URL": "sqlite:////tmp/x.db",
            "ANTRE_DEMO": "1",
            "ANTRE_PORT": "8080",
            "ANTRE_PRINTER_TIMEOUT": "2.5",
            "ANTRE_MESSAGE_QUEUE": "redis://127.0.0.1:6379/0",
        }
    )
    assert config.database_url == "sqlite:////tmp/x.db"
    assert (config.demo, config.port, config.printer_timeout) == (True, 8080, 2.5)
    assert config.message_queue == "redis://127.0.0.1:6379/0"


STRONG = "Vq3-Lm8zT1pXc6Rk0Ny4Hs9Bw2Fd7Gj5Ea_Ui"


def test_default_secret_is_refused_outside_demo_mode(tmp_path):
    with pytest.raises(ConfigError, match="ANTRE_SECRET_KEY"):
        Config(demo=False, secret_key=DEFAULT_SECRET_KEY).check_production_safety()
    Config(demo=True).check_production_safety()
    Config(demo=False, secret_key=STRONG).check_production_safety()


def test_a_short_secret_is_refused_outside_demo_mode():
    with pytest.raises(ConfigError, match="shorter than 32"):
        Config(demo=False, secret_key="rahasia-mpp-2026").check_production_safety()
    Config(demo=True, secret_key="short").check_production_safety()


@pytest.mark.parametrize(
    "weak",
    ["a" * 32, "k" * 40, "abcd" * 10, "mysecretkey" * 3, "rahasia!" * 4, "0123456701234567" * 2],
)
def test_a_low_entropy_secret_is_refused_outside_demo_mode(weak):
    with pytest.raises(ConfigError, match="not random enough"):
        Config(demo=False, secret_key=weak).check_production_safety()


def test_without_a_secret_production_generates_one_once_owner_only(tmp_path):
    import stat

    instance = tmp_path / "instance"
    first = Config(demo=False, instance_path=str(instance))
    first.check_production_safety()
    path = instance / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secret_key == path.read_text().strip() and len(first.secret_key) >= 48
    again = Config(demo=False, instance_path=str(instance))
    again.check_production_safety()
    assert again.secret_key == first.secret_key  # kept across restarts
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        Config(demo=False, instance_path=str(instance)).check_production_safety()
    path.write_text("a" * 40)
    path.chmod(0o600)
    with pytest.raises(ConfigError, match="not random enough"):
        Config(demo=False, instance_path=str(instance)).check_production_safety()


def test_a_standalone_app_uses_the_generated_key(config, tmp_path):
    import kiosk

    config.demo, config.secret_key = False, ""
    app = kiosk.create_app(config)
    stored = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert app.secret_key == stored != DEFAULT_SECRET_KEY


def test_portal_lists_the_screens(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "MPP Kabupaten Tebo" in text
    assert "/kiosk/" in text and "/counter/" in text and "/display/" in text


def test_errors_answer_in_indonesian_first_then_english(client):
    assert client.get("/kiosk/api/no-such-thing").get_json()["message"] == "Tidak ditemukan."
    english = client.get("/kiosk/api/no-such-thing?lang=en")
    assert english.get_json()["message"] == "Not found."
    # The choice is remembered in a cookie.
    assert client.get("/kiosk/api/no-such-thing").get_json()["message"] == "Not found."


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_browser_library_is_served_locally(client):
    response = client.get("/static/vendor/socket.io.min.js")
    assert response.status_code == 200
    assert b"io" in response.data[:2000]
    assert client.get("/static/vendor/../package.json").status_code == 404


def test_the_socket_heartbeat_is_configurable(config):
    from shared.web import create_base_app, socketio_of

    config.socketio_ping_interval, config.socketio_ping_timeout = 5.0, 4.0
    engine = socketio_of(create_base_app(config, name="antre")).server.eio
    assert (engine.ping_interval, engine.ping_timeout) == (5.0, 4.0)


def test_gevent_apps_serve_websockets_in_the_handler_greenlet(config):
    """shared/web/websocket.py under gevent (run.py, gunicorn's gevent worker); the threading
    mode keeps engine.io's own."""
    from shared.web import create_base_app, socketio_of, websocket

    engine = socketio_of(create_base_app(config, name="antre")).server.eio
    assert engine.async_mode == "threading"
    assert engine._async["websocket"] is not websocket.HandlerWebSocket
    config.async_mode = "gevent"
    engine = socketio_of(create_base_app(config, name="antre")).server.eio
    assert engine._async["websocket"] is websocket.HandlerWebSocket


def test_another_engineio_keeps_its_own_websockets(config, caplog):
    """The replacement leans on engine.io 4.15's internals: another release is not guessed at."""
    from shared.web import create_base_app, socketio_of, websocket

    config.async_mode = "gevent"
    engine = socketio_of(create_base_app(config, name="antre")).server.eio
    stock = type(engine)(async_mode="gevent")
    websocket.install(stock, engineio_version="4.16.0")
    assert stock._async["websocket"] is not websocket.HandlerWebSocket
    assert "start_background_task" not in vars(stock)
    assert "python-engineio 4.16.0" in caplog.text
    websocket.install(stock, engineio_version="4.15.1")
    assert stock._async["websocket"] is websocket.HandlerWebSocket


def test_favicon_is_served(client):
    """Browsers ask every site for /favicon.ico on their own: a 404 on every page otherwise."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert client.get("/static/shared/favicon.svg").status_code == 200
