"""Socket.IO namespace /counter: staff screens follow their agency's room.

Connecting needs a signed-in staff session (the Flask session cookie of the handshake). ``join``
names a counter or an agency; the server checks the user may see that agency before joining
``agency:<id>``. Admins may join any agency. The answer carries the room's current ``seq``.
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room

from shared.models import Agency, Counter
from shared.queue import publishing
from shared.web import socketio_of
from shared.web.auth import check_idle
from shared.web.database import get_session


def _agency_of(data) -> int | None:
    """The agency a join/leave message names, or None when it names nothing that exists."""
    if not isinstance(data, dict):
        return None
    session = get_session()
    for key, model in (("counter_id", Counter), ("agency_id", Agency)):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            found = session.get(model, value)
            if found is None:
                return None
            return found.agency_id if model is Counter else found.id
    return None


class CounterNamespace(Namespace):
    def on_connect(self, auth=None):
        if not check_idle() or not current_user.is_authenticated:
            raise ConnectionRefusedError("unauthorized")

    def on_join(self, data):
        if not current_user.is_authenticated:
            return {"ok": False, "error": "unauthorized"}
        agency_id = _agency_of(data)
        if agency_id is None:
            return {"ok": False, "error": "not_found"}
        if not current_user.can_manage_agency(agency_id):
            return {"ok": False, "error": "forbidden"}
        room = publishing.agency_room(agency_id)
        join_room(room)
        from counter.snapshots import room_seq

        return {"ok": True, "room": room, "seq": room_seq(get_session(), agency_id)}

    def on_leave(self, data):
        agency_id = _agency_of(data)
        if agency_id is not None:
            leave_room(publishing.agency_room(agency_id))
        return {"ok": True}


def init_app(app: Flask) -> None:
    socketio_of(app).on_namespace(CounterNamespace(publishing.COUNTER))
