"""Socket.IO namespace /counter: staff screens follow their agency's room.

Connecting needs a signed-in staff session (the Flask session cookie of the handshake). ``join``
names a counter or an agency; the server checks the user may see that agency before joining
``agency:<id>``. Admins may join any agency. The answer carries the room's current ``seq``.
Each socket is also in its user's room ``user:<id>``: when the user's sessions are revoked
(sign-out, new password, deactivation, new role or agency) the committing process drops the
sockets it holds at once and sends ``session.revoked`` there (shared/staff_sessions.py); every
process also drops, within seconds, those whose user lost the right to them
(counter/socket_sweep.py).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, request
from flask_login import current_user
from flask_socketio import Namespace, join_room, leave_room

from counter.socket_sweep import SWEEP_SECONDS, revoked_sockets
from shared.models import Agency, Counter
from shared.queue import publishing
from shared.staff_sessions import user_room
from shared.web import socketio_of
from shared.web.auth import check_idle, may_manage_agency
from shared.web.database import get_session
from shared.web.inputs import Body, Id, parse_event

log = logging.getLogger(__name__)


class RoomChoice(Body):
    counter_id: Id | None = None
    agency_id: Id | None = None


def _agency_of(data) -> int | None:
    """The agency a join/leave message names, or None when it names nothing that exists."""
    asked = parse_event(RoomChoice, data)
    if asked is None:
        return None
    session = get_session()
    if asked.counter_id is not None:
        counter = session.get(Counter, asked.counter_id)
        return counter.agency_id if counter is not None else None
    if asked.agency_id is not None:
        agency = session.get(Agency, asked.agency_id)
        return agency.id if agency is not None else None
    return None


class CounterNamespace(Namespace):
    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        # This process's sockets: sid -> (staff user id, session generation at connect).
        self.users: dict[str, tuple[int, int]] = {}
        self.sweeping = False

    def on_connect(self, auth=None):
        if not check_idle() or not current_user.is_authenticated:
            raise ConnectionRefusedError("unauthorized")
        self.users[request.sid] = (current_user.id, current_user.session_generation)
        join_room(user_room(current_user.id))
        if not self.sweeping:
            self.sweeping = True
            self.socketio.start_background_task(
                self._sweep_while_open, current_app._get_current_object()
            )

    def on_disconnect(self, reason=None):
        self.users.pop(request.sid, None)

    def sweep(self) -> list[str]:
        """Disconnect this process's sockets whose user may no longer hold them; their sids."""
        rooms = self.socketio.server.manager.get_rooms
        held = {
            sid: (uid, generation, rooms(sid, self.namespace))
            for sid, (uid, generation) in list(self.users.items())
        }
        revoked = revoked_sockets(get_session(), held)
        for sid in revoked:
            self.users.pop(sid, None)
            self.disconnect(sid, namespace=self.namespace)
        return revoked

    def _sweep_while_open(self, app: Flask) -> None:
        # Ends when the last socket closes (a later connect starts it again), so an app without
        # staff screens runs no loop.
        try:
            while self.users:
                self.socketio.sleep(SWEEP_SECONDS)
                with app.app_context():
                    self.sweep()
        except Exception:  # noqa: BLE001 - the next connect starts a fresh loop
            log.exception("the staff socket sweep stopped")
        finally:
            self.sweeping = False

    def on_join(self, data=None, *_more):
        if not current_user.is_authenticated:
            return {"ok": False, "error": "unauthorized"}
        agency_id = _agency_of(data)
        if agency_id is None:
            return {"ok": False, "error": "not_found"}
        if not may_manage_agency(current_user, agency_id):
            return {"ok": False, "error": "forbidden"}
        room = publishing.agency_room(agency_id)
        join_room(room)
        from counter.snapshots import room_seq

        return {"ok": True, "room": room, "seq": room_seq(get_session(), agency_id)}

    def on_leave(self, data=None, *_more):
        agency_id = _agency_of(data)
        if agency_id is not None:
            leave_room(publishing.agency_room(agency_id))
        return {"ok": True}


def init_app(app: Flask) -> None:
    socketio_of(app).on_namespace(CounterNamespace(publishing.COUNTER))
