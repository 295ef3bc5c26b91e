"""Staff sessions the server can end: each user has a session generation, part of the id every
session cookie carries (``StaffUser.get_id``); a cookie whose generation is not the user's
current one signs in nobody.

The generation is raised on sign-out (:func:`revoke_sessions`) and, whatever code path makes the
change (admin page, ``antre set-password``, start-up checks), whenever a user's password, role,
site, agency or active flag changes: a flush listener does it, so no caller can forget. After the
commit, the user's open /counter sockets are dropped (room ``user:<id>``): those of this process
at once; ``session.revoked`` to that room goes through the message queue to every process, each of
which drops its own sockets of that user on it (:func:`watch_revocations`). Each process's sweep
(counter/socket_sweep.py) covers a change committed without a publisher (``antre set-password``).
"""

from __future__ import annotations

import logging

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from shared import events
from shared.models import StaffUser

log = logging.getLogger(__name__)

# What ends every session of a user when it changes.
GUARDED = ("password_hash", "role", "site_id", "agency_id", "active")
_REVOKED = "antre.revoked_users"
COUNTER_NAMESPACE = "/counter"
REVOKED_EVENT = "session.revoked"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def parse_session_id(session_id: str) -> tuple[int, int] | None:
    """(user id, generation) of a session's id, or None for anything else (old formats too)."""
    user, _, generation = session_id.partition(":")
    if not (user.isdigit() and generation.isdigit()):
        return None
    return int(user), int(generation)


def revoke_sessions(user: StaffUser) -> None:
    """End every session of ``user`` (takes effect when the session commits)."""
    user.session_generation = (user.session_generation or 0) + 1


def _changed(user: StaffUser, name: str) -> bool:
    return inspect(user).attrs[name].history.has_changes()


def install(factory: sessionmaker) -> None:
    """Raise generations and drop sockets on the sessions of ``factory`` (shared.session_hooks)."""
    event.listen(factory, "before_flush", _raise_generations)
    event.listen(factory, "after_commit", _after_revoke)
    event.listen(factory, "after_rollback", _forget)


def _raise_generations(session: Session, _context, _instances) -> None:
    for obj in session.dirty:
        if not isinstance(obj, StaffUser) or obj.id is None:
            continue
        if not _changed(obj, "session_generation"):
            if not any(_changed(obj, name) for name in GUARDED):
                continue
            revoke_sessions(obj)
        session.info.setdefault(_REVOKED, set()).add(obj.id)


def _after_revoke(session: Session) -> None:
    revoked = sorted(session.info.pop(_REVOKED, ()))
    if not revoked:
        return
    publisher = session.info.get(events.PUBLISHER_KEY) or events.NullPublisher()
    notices = [
        events.Event(COUNTER_NAMESPACE, user_room(uid), REVOKED_EVENT, {}) for uid in revoked
    ]
    publisher.publish(notices)  # to every process through the message queue, if any
    socketio = getattr(publisher, "socketio", None)
    if socketio is not None and getattr(socketio, "server", None) is not None:
        for uid in revoked:
            drop_local_sockets(socketio.server, uid)


def drop_local_sockets(server, user_id: int) -> list[str]:
    """Disconnect this process's /counter sockets of ``user_id`` now; their sids."""
    room = user_room(user_id)
    held = [sid for sid, _eio in server.manager.get_participants(COUNTER_NAMESPACE, room)]
    for sid in held:
        try:
            server.disconnect(sid, namespace=COUNTER_NAMESPACE)
        except Exception:  # noqa: BLE001 - the sweep drops what is left
            log.exception("could not drop a revoked staff socket")
    return held


def _forget(session: Session) -> None:
    session.info.pop(_REVOKED, None)


def watch_revocations(socketio) -> None:
    """With a message queue: when ``session.revoked`` reaches this process (from whichever
    process committed the change), drop this process's sockets of that user at once.

    python-socketio hands every message from the queue, and this process's own, to its manager's
    ``_handle_emit``; that hook is wrapped here. Without a queue (one process) there is nothing to
    hear: the committing process drops its sockets itself."""
    server = getattr(socketio, "server", None)
    manager = getattr(server, "manager", None)
    handle = getattr(manager, "_handle_emit", None)  # only python-socketio's PubSubManager
    if handle is None:
        return

    def handle_and_drop(message):
        handle(message)
        room = str(message.get("room") or "")
        if message.get("event") == REVOKED_EVENT and message.get("namespace") == COUNTER_NAMESPACE:
            prefix = user_room(0)[:-1]  # "user:"
            if room.startswith(prefix) and room[len(prefix) :].isdigit():
                drop_local_sockets(server, int(room[len(prefix) :]))

    manager._handle_emit = handle_and_drop
