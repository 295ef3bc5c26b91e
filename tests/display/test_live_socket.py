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
from sqlalchemy import select

from shared import events, queue
from shared.models import Counter, Ticket
from tests.display.live import Server, act, issue_and_call
from tests.sites import in_demo_mall

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


def _counter_one(session) -> Counter:
    stmt = select(Counter).where(in_demo_mall(Counter.site_id), Counter.number == 1)
    return session.execute(stmt).scalar_one()


def _issue_behind(session, count: int) -> dict:
    """``count`` tickets at Loket 1's first service, alone in its queue: the last one's code."""
    service_id = _counter_one(session).services[0].id
    waiting = select(Ticket).where(Ticket.service_id == service_id, Ticket.status == "waiting")
    for earlier in session.execute(waiting).scalars():
        queue.cancel_ticket(session, earlier)
    tickets = [queue.issue_ticket(session, service_id) for _ in range(count)]
    return {"code": tickets[-1].code, "id": tickets[-1].id}


def _next_one(session) -> None:
    counter = _counter_one(session)
    active = queue.active_ticket(session, counter)
    if active is not None:
        queue.start_ticket(session, active)
        queue.finish_ticket(session, active)
    queue.call_next(session, counter)


@pytest.mark.redis
def test_a_phone_behind_the_head_moves_by_the_calls_then_gets_its_place(tmp_path, redis_url):
    """A real client on /ticket, 10 people ahead (the head is the first 10 places): each call
    says "one more called", and one call later its exact place arrives in the head."""
    channel = f"antre-test-{uuid.uuid4().hex[:8]}"
    server = Server(
        tmp_path, env_extra={"ANTRE_MESSAGE_QUEUE": redis_url, "ANTRE_SOCKETIO_CHANNEL": channel}
    ).start()
    publisher = events.SocketIOPublisher(SocketIO(message_queue=redis_url, channel=channel))
    phone = socketio.Client()
    heard: list[dict] = []
    phone.on("queue.changed", heard.append, namespace="/ticket")
    try:
        mine = act(server.db_url, lambda s: _issue_behind(s, 11))
        phone.connect(server.base, namespaces=["/ticket"], transports=["websocket"])
        joined = phone.call("join", {"code": mine["code"]}, namespace="/ticket", timeout=10)
        assert joined["people_ahead"] == 10 and joined["window"] == 10
        act(server.db_url, _next_one, publisher)
        assert wait_for(lambda: len(heard) == 1, 10), "no queue.changed within 10 s"
        assert heard[0]["called"] == joined["called"] + 1
        assert mine["id"] in {place["id"] for place in heard[0]["head"]}
        assert {"id": mine["id"], "people_ahead": 9} in [
            {"id": p["id"], "people_ahead": p["people_ahead"]} for p in heard[0]["head"]
        ]
        assert len(heard[0]["head"]) == 10 and "order" not in heard[0]
    finally:
        phone.disconnect()
        server.stop()
