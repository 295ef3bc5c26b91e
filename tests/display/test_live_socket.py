"""A real python-socketio client against a real server process: ticket.called after a counter
action (made by another process, through the Redis message queue, as in a multi-process
deployment), and reconnection with resync after the server process restarts."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests
import socketio
from flask_socketio import SocketIO

from shared import events
from tests.display.live import Server, issue_and_call

pytestmark = pytest.mark.slow
ZONE = 1  # the demo's "Lobi utama": every agency


class TV:
    """What the lobby TV's script does, in Python: join on every connect, keep seqs per room."""

    def __init__(self, base: str):
        self.base = base
        self.calls: list[dict] = []
        self.connects = 0
        self.arrived = threading.Event()
        self.client = socketio.Client(reconnection_delay=0.5, reconnection_delay_max=1)
        self.client.on("connect", self._connected, namespace="/display")
        self.client.on("ticket.called", self._called, namespace="/display")

    def _connected(self):
        self.connects += 1

    def _called(self, message):
        self.calls.append(message)
        self.arrived.set()

    def connect(self):
        self.client.connect(self.base, namespaces=["/display"], transports=["websocket"])
        return self.join()

    def join(self) -> dict:
        answer = self.client.call("join", {"zone": ZONE}, namespace="/display", timeout=10)
        assert answer["ok"], answer
        return answer

    def snapshot(self) -> dict:
        return requests.get(f"{self.base}/display/api/state?zone={ZONE}", timeout=10).json()


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.redis
def test_ticket_called_reaches_a_real_client(tmp_path, redis_url):
    channel = f"antre-test-{uuid.uuid4().hex[:8]}"
    server = Server(
        tmp_path, env_extra={"ANTRE_MESSAGE_QUEUE": redis_url, "ANTRE_SOCKETIO_CHANNEL": channel}
    ).start()
    tv = TV(server.base)
    try:
        joined = tv.connect()
        # The counter action happens in this process; its events go out through Redis.
        writer = SocketIO(message_queue=redis_url, channel=channel)
        call = issue_and_call(server.db_url, 1, events.SocketIOPublisher(writer))
        assert tv.arrived.wait(10), "no ticket.called within 10 s"
        message = tv.calls[-1]
        assert message["number"] == call["number"] and message["counter"]["number"] == 1
        assert message["seq"] == joined["seqs"][message["room"]] + 1
        assert call["code"] not in repr(message)
    finally:
        tv.client.disconnect()
        server.stop()


def test_reconnect_and_resync_after_server_restart(tmp_path):
    server = Server(tmp_path).start()
    tv = TV(server.base)
    try:
        before = tv.connect()
        server.stop()  # the server process goes away ...
        assert wait_for(lambda: not tv.client.connected, 10)
        missed = issue_and_call(server.db_url, 6)  # ... and a call happens while it is down
        server.start()
        up = time.monotonic()
        assert wait_for(lambda: tv.connects >= 2 and tv.client.connected, 5), "no reconnect in 5 s"
        after = tv.join()
        state = tv.snapshot()
        resynced = time.monotonic() - up
        gaps = [room for room, seq in after["seqs"].items() if seq != before["seqs"].get(room)]
        assert gaps, "the join answer must reveal the missed event"
        assert state["recent_calls"][0]["number"] == missed["number"]
        assert state["seqs"] == after["seqs"]
        assert resynced < 5, f"resync took {resynced:.1f} s"
    finally:
        tv.client.disconnect()
        server.stop()


def test_a_join_without_payload_is_refused_not_raised(tmp_path):
    """A real client: a /ticket join with no payload raised TypeError in the server's log."""
    server = Server(tmp_path).start()
    client = socketio.Client()
    try:
        client.connect(server.base, namespaces=["/ticket", "/display"], transports=["websocket"])
        for namespace in ("/ticket", "/display"):
            answer = client.call("join", namespace=namespace, timeout=10)
            assert answer["ok"] is False and answer["status"] == 404, answer
            for bad in ("x", [1], {"code": ["A"]}, {"zone": 10**30}, {"code": "\ud800"}):
                answer = client.call("join", bad, namespace=namespace, timeout=10)
                assert answer["ok"] is False, (namespace, bad)
    finally:
        client.disconnect()
        server.stop()
    log = "".join(path.read_text() for path in tmp_path.glob("server-*.log"))
    assert "Traceback" not in log and "TypeError" not in log
