"""Who may do what over Socket.IO: every namespace and client → server event × every persona.

Real Socket.IO test clients carry each persona's session cookie (flask_test_client), as a browser
does in the handshake. Connecting is classified per namespace and each event per (namespace,
event); test_every_event_is_classified fails for a handler added without a line here. A refused
/counter join must also keep the agency's live events away from that client.
"""

from __future__ import annotations

import pytest

from shared.web import socketio_of
from tests.security.conftest import (
    AGENCY,
    KIOSK,
    PERSONAS,
    PUBLIC,
    SCOPED,
    STAFF,
    allowed,
    fill,
    issue,
)

CONNECT = {"/counter": STAFF, "/kiosk": KIOSK, "/display": PUBLIC, "/ticket": PUBLIC}
EVENTS = [  # namespace, event, payload with {placeholders}, who may
    ("/counter", "join", {"agency_id": "{agency}"}, AGENCY),
    ("/counter", "join", {"counter_id": "{counter}"}, AGENCY),
    ("/counter", "leave", {"agency_id": "{agency}"}, STAFF),  # leaving a room gives nothing
    ("/kiosk", "join", {}, KIOSK),  # the rooms come from the kiosk's token, never the payload
    ("/display", "join", {"zone": "{zone}"}, PUBLIC),
    ("/ticket", "join", {"code": "{code}"}, PUBLIC),
]


def connect(app, db, client, namespace: str):
    db.commit()  # the connect handler reads the database: let go of SQLite's lock first
    return socketio_of(app).test_client(app, namespace=namespace, flask_test_client=client)


def succeeded(answer) -> bool:
    """Each namespace's way of saying yes: ok true, or (the kiosk's) the rooms joined."""
    return isinstance(answer, dict) and (answer.get("ok") is True or "rooms" in answer)


def test_every_event_is_classified(app):
    server = socketio_of(app).server
    handled = {
        (namespace, name[3:])
        for namespace, handler in server.namespace_handlers.items()
        for name in dir(handler)
        if name.startswith("on_")
    }
    handled |= {(ns, name) for ns, handlers in server.handlers.items() for name in handlers}
    handled -= {(ns, name) for ns, name in handled if name in ("connect", "disconnect")}
    assert handled == {(namespace, event) for namespace, event, _, _ in EVENTS}
    assert {namespace for namespace, _ in handled} == set(CONNECT)


@pytest.mark.parametrize("namespace", CONNECT)
def test_connect_matrix(app, db, personas, namespace):
    connected = {
        p: connect(app, db, personas(p), namespace).is_connected(namespace) for p in PERSONAS
    }
    assert connected == {p: allowed(CONNECT[namespace], p) for p in PERSONAS}


@pytest.mark.parametrize(
    "namespace,event,payload,access", EVENTS, ids=[f"{e[0]} {e[1]} {list(e[2])}" for e in EVENTS]
)
def test_event_matrix(app, db, personas, targets, namespace, event, payload, access):
    wrong = []
    for agency in ("A", "B") if access in SCOPED else (None,):
        for persona in PERSONAS:
            if not allowed(CONNECT[namespace], persona):
                continue  # refused at the door: test_connect_matrix
            ids = targets.ids(agency)
            data = fill(payload, ids)
            sio = connect(app, db, personas(persona), namespace)
            db.commit()  # the handler reads the database too
            answer = sio.emit(event, data, namespace=namespace, callback=True)
            want = allowed(access, persona, agency)
            if succeeded(answer) != want:
                wrong.append(f"{persona} on {agency or '-'}'s: {answer}")
            if (namespace, event) == ("/counter", "join"):
                sio.get_received(namespace)
                issue(db, ids.short)  # a ticket of that agency: heard only after a granted join
                heard = any(m["name"] == "ticket.changed" for m in sio.get_received(namespace))
                if heard != want:
                    wrong.append(f"{persona} on {agency}'s: heard={heard}")
            sio.disconnect(namespace=namespace)
    assert not wrong, f"{namespace} {event}: " + "; ".join(wrong)
