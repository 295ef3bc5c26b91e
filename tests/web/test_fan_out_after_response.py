"""run.py's publisher (gevent, no message queue): the emits of a commit wait until the request's
greenlet waits, then go out in commit order (shared/events.py, ``after_response``). A real
python-socketio server behind gevent's pywsgi and a websocket client over real TCP."""

from __future__ import annotations

import json

import gevent
import pytest
import socketio
from gevent import pywsgi
from wsproto.events import TextMessage

from shared import events
from shared.web import websocket
from shared.web.serving import NoDelayHandler
from tests.web.test_websocket import WAIT, Client


@pytest.fixture
def room_server():
    """A Socket.IO server whose /display clients all join room "zone"; yields (server, port)."""
    sio = socketio.Server(async_mode="gevent", transports=["websocket"])
    websocket.install(sio.eio)
    sio.on(
        "connect",
        lambda sid, environ: sio.enter_room(sid, "zone", namespace="/display"),
        namespace="/display",
    )
    server = pywsgi.WSGIServer(
        ("127.0.0.1", 0), socketio.WSGIApp(sio), handler_class=NoDelayHandler, log=None
    )
    server.start()
    yield sio, server.server_port
    server.stop(timeout=5)


def connected_tv(sio, port: int) -> Client:
    client = Client(port, "/socket.io/?EIO=4&transport=websocket")
    assert client.text().startswith("0{")
    client.send(TextMessage("40/display,"))
    assert client.text().startswith("40/display,")
    with gevent.Timeout(WAIT):
        while not sio.manager.rooms.get("/display", {}).get("zone"):
            gevent.sleep(0.01)
    return client


def test_a_commits_emits_leave_once_the_caller_waits_in_commit_order(room_server):
    sio, port = room_server
    tv = connected_tv(sio, port)
    publisher = events.SocketIOPublisher(sio, after_response=True)
    first = [events.Event("/display", "zone", "ticket.called", {"n": n}, seq=n) for n in (1, 2)]
    publisher.publish(first)
    publisher.publish([events.Event("/display", "zone", "counter.cleared", {"n": 3}, seq=3)])
    # Nothing was emitted in this greenlet: both commits wait for it to wait.
    assert publisher.waiting.qsize() == 2
    got = []
    for _ in range(3):
        text = tv.text()  # this greenlet waits here: the publisher's greenlet emits
        name, message = json.loads(text[len("42/display,") :])
        got.append((name, message["seq"]))
    assert got == [("ticket.called", 1), ("ticket.called", 2), ("counter.cleared", 3)]
    assert publisher.waiting.qsize() == 0


def test_without_after_response_the_emits_leave_in_the_call(room_server):
    """A process that hands its events to the message queue emits them in the call, as before."""
    sio, port = room_server
    tv = connected_tv(sio, port)
    publisher = events.SocketIOPublisher(sio)
    publisher.publish([events.Event("/display", "zone", "ticket.called", {"n": 1}, seq=1)])
    assert publisher.waiting is None
    assert tv.text().startswith('42/display,["ticket.called"')
