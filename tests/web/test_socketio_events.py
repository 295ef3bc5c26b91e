"""A real Socket.IO client receives an event after the commit, and nothing for a rollback."""

from __future__ import annotations

from flask_socketio import Namespace, join_room

from shared import events
from shared.web import socketio_of
from shared.web.database import database

PROBE = "/probe"


class ProbeNamespace(Namespace):
    """A namespace for this test only: clients join the room they name."""

    def on_join(self, data):
        join_room(data["room"])
        return {"joined": data["room"]}


def _client(app, client):
    socketio = socketio_of(app)
    socketio.on_namespace(ProbeNamespace(PROBE))
    sio = socketio.test_client(app, namespace=PROBE, flask_test_client=client)
    assert sio.is_connected(PROBE)
    assert sio.emit("join", {"room": "r1"}, namespace=PROBE, callback=True) == {"joined": "r1"}
    return sio


def test_event_reaches_the_client_after_commit(app, client):
    sio = _client(app, client)
    with database(app).session_factory() as session:
        events.record(session, PROBE, "r1", "hello", {"x": 1})
        session.flush()
        assert sio.get_received(PROBE) == []
        session.commit()
    received = sio.get_received(PROBE)
    assert [(m["name"], m["args"][0]) for m in received] == [
        ("hello", {"x": 1, "room": "r1", "seq": 1})
    ]


def test_rolled_back_event_never_arrives(app, client):
    sio = _client(app, client)
    with database(app).session_factory() as session:
        events.record(session, PROBE, "r1", "ghost", {})
        session.rollback()
        events.record(session, PROBE, "r2", "elsewhere", {})
        session.commit()
    assert sio.get_received(PROBE) == []
