"""Across processes: a revocation committed in one process (here the test, as a second app
process would, publishing through the Redis message queue) drops the user's /counter socket held
by the real server process at once, well before that process's 15 s sweep would."""

from __future__ import annotations

import re
import threading
import time
import uuid

import pytest
import requests
import socketio
from flask_socketio import SocketIO

from counter.socket_sweep import SWEEP_SECONDS
from shared import events
from shared.accounts import DEMO_PASSWORD, find_user, revoke_sessions
from tests.display.live import Server, act

pytestmark = [pytest.mark.slow, pytest.mark.redis]
NS = "/counter"


def sign_in(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(base + "/counter/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    answer = browser.post(base + "/counter/login", data=form, timeout=10, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return browser


def test_a_revocation_in_another_process_drops_the_socket_at_once(tmp_path, redis_url):
    channel = f"antre-test-{uuid.uuid4().hex[:8]}"
    server = Server(
        tmp_path, env_extra={"ANTRE_MESSAGE_QUEUE": redis_url, "ANTRE_SOCKETIO_CHANNEL": channel}
    ).start()
    client = socketio.Client(reconnection=False)
    dropped = threading.Event()
    client.on("disconnect", lambda *reason: dropped.set(), namespace=NS)
    try:
        browser = sign_in(server.base, "dukcapil1")
        cookie = f"session={browser.cookies['session']}"
        client.connect(
            server.base, namespaces=[NS], transports=["websocket"], headers={"Cookie": cookie}
        )
        connected = time.monotonic()
        answer = client.call("join", {"counter_id": 1}, namespace=NS, timeout=10)
        assert answer["ok"], answer
        writer = SocketIO(message_queue=redis_url, channel=channel)
        act(
            server.db_url,
            lambda session: revoke_sessions(find_user(session, "dukcapil1")),
            events.SocketIOPublisher(writer),
        )
        assert dropped.wait(SWEEP_SECONDS - (time.monotonic() - connected) - 2), "not dropped"
        assert browser.get(server.base + "/counter/api/services", timeout=10).status_code == 401
    finally:
        client.disconnect()
        server.stop()
