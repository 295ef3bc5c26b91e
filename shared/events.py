"""Events recorded during a transaction and published only after it commits.

Domain functions call :func:`record`; nothing leaves the process until the session commits.
Just before the commit each event gets the next sequence number of its stream (one stream per
namespace and room, kept in the database so that every process agrees); right after the commit the
session's publisher sends them. A rollback drops them. :func:`install` hangs this on a session
factory (shared.session_hooks does it for every factory). The Socket.IO publisher serves both the
embedded server and, through Flask-SocketIO's message queue, every other process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from shared import sql
from shared.models import EventStream

log = logging.getLogger(__name__)

PUBLISHER_KEY = "antre.publisher"
_PENDING = "antre.pending_events"
_DIRTY = "antre.dirty"
_DIRTY_AT = "antre.dirty_at"

Finalizer = Callable[[Session], None]


@dataclass
class Event:
    namespace: str
    room: str
    name: str
    payload: dict[str, Any]
    seq: int | None = None

    @property
    def stream(self) -> str:
        return stream_name(self.namespace, self.room)

    def message(self) -> dict[str, Any]:
        """What the client receives: the payload plus the room and its sequence number."""
        return {**self.payload, "room": self.room, "seq": self.seq}


def stream_name(namespace: str, room: str) -> str:
    return f"{namespace} {room}"


class Publisher(Protocol):
    def publish(self, events: list[Event]) -> None: ...


class NullPublisher:
    def publish(self, events: list[Event]) -> None:
        pass


@dataclass
class RecordingPublisher:
    """Keeps what was published: for tests and for the command line."""

    events: list[Event] = field(default_factory=list)

    def publish(self, events: list[Event]) -> None:
        self.events.extend(events)


class SocketIOPublisher:
    """Emits through a Flask-SocketIO server, or a write-only one bound to the message queue.

    ``after_response`` (gevent, no message queue: run.py): this process writes every frame to
    every TV and phone itself, so the emits go to one greenlet that makes them, in commit order,
    as soon as the request's greenlet waits (its answer written): a clerk's call is not answered
    a fan-out later (measured: 8 ms with 1,100 sockets, docs/benchmarks.md)."""

    def __init__(self, socketio, *, after_response: bool = False) -> None:
        self.socketio = socketio
        self.after_response = after_response
        self.waiting = None  # the events of commits not yet emitted, with after_response

    def publish(self, events: list[Event]) -> None:
        if not self.after_response:
            self._emit(events)
            return
        if self.waiting is None:  # started by the first request, in the serving process
            from gevent.queue import SimpleQueue

            self.waiting = SimpleQueue()
            self.socketio.start_background_task(self._emit_in_turn)
        self.waiting.put(events)

    def _emit_in_turn(self) -> None:
        while True:
            self._emit(self.waiting.get())

    def _emit(self, events: list[Event]) -> None:
        for ev in events:
            try:
                self.socketio.emit(ev.name, ev.message(), to=ev.room, namespace=ev.namespace)
            except Exception:  # the change is committed; clients catch up from a snapshot
                log.exception("could not publish %s to %s", ev.name, ev.stream)


def _in_transaction(session: Session) -> None:
    # Without a transaction a rollback() is a no-op and would leave the event for the next commit.
    if not session.in_transaction():
        session.begin()


def record(session: Session, namespace: str, room: str, name: str, payload: dict) -> None:
    """Queue an event to be published if, and only if, this transaction commits."""
    _in_transaction(session)
    session.info.setdefault(_PENDING, []).append(Event(namespace, room, name, payload))


def mark_dirty(session: Session, kind: str, key: Any, *, at: datetime | None = None) -> None:
    """Note that something (say the queue of service 3) changed, at ``at`` (the action's time);
    a finalizer reports it once, as of :func:`changed_at`."""
    _in_transaction(session)
    session.info.setdefault(_DIRTY, {}).setdefault(kind, set()).add(key)
    if at is not None:
        session.info[_DIRTY_AT] = at


def dirty(session: Session, kind: str) -> set:
    return set(session.info.get(_DIRTY, {}).get(kind, ()))


def changed_at(session: Session) -> datetime | None:
    """The time given with the last change marked in this transaction (None: no time given).

    The finalizers report the state as of the last action, whose time may be a test's frozen
    clock, not the wall clock at the commit."""
    return session.info.get(_DIRTY_AT)


def pending(session: Session) -> list[Event]:
    return list(session.info.get(_PENDING, ()))


def room_seqs(session: Session, namespace: str, rooms: Iterable[str]) -> dict[str, int]:
    """The last sequence number of each room of ``namespace`` (0 for a room never used).

    A snapshot calls this BEFORE it reads its data: an event committed in between is then in the
    data and numbered after the snapshot's seq, so a client may apply it twice but never miss it.
    On PostgreSQL (read committed: each statement sees the latest commits) the objects this
    session loaded earlier are expired, so that the data is read afresh after the numbers.
    """
    wanted = {stream_name(namespace, room): room for room in rooms}
    rows = session.execute(
        select(EventStream.name, EventStream.last_seq).where(EventStream.name.in_(list(wanted)))
    ).all()
    found = dict(rows)
    fresh = not (session.new or session.dirty or session.deleted)  # never drop a pending change
    if fresh and session.get_bind().dialect.name == "postgresql":
        session.expire_all()
    return {room: found.get(name, 0) for name, room in wanted.items()}


def install(factory: sessionmaker, finalizers: Sequence[Finalizer] = ()) -> None:
    """Number, publish and drop events on the sessions of ``factory`` (see shared.session_hooks).

    ``finalizers`` run at commit time, in order, and may record more events (for example one
    "queue.changed" per service touched, however many tickets of it changed).
    """
    chain = tuple(finalizers)

    def number_events(session: Session) -> None:
        if not session.info.get(_PENDING) and not session.info.get(_DIRTY):
            return
        session.flush()
        for finalize in chain:
            finalize(session)
        _number(session, session.info.get(_PENDING, []))

    event.listen(factory, "before_commit", number_events)
    event.listen(factory, "after_commit", _publish_events)
    event.listen(factory, "after_soft_rollback", _drop_events)


def _number(session: Session, events: list[Event]) -> None:
    # The last statement before COMMIT, so that each stream's row stays locked for one round trip.
    by_stream: dict[str, list[Event]] = {}
    for ev in events:
        by_stream.setdefault(ev.stream, []).append(ev)
    # One statement for all streams; PostgreSQL locks the rows in the order given, so sort them.
    counts = {name: len(by_stream[name]) for name in sorted(by_stream)}
    last = sql.increment_many(session, EventStream.__table__, "name", "last_seq", counts)
    for name, batch in by_stream.items():
        for offset, ev in enumerate(batch):
            ev.seq = last[name] - len(batch) + 1 + offset


def _publish_events(session: Session) -> None:
    events = session.info.pop(_PENDING, [])
    _forget_dirty(session)
    if events:
        publisher = session.info.get(PUBLISHER_KEY) or NullPublisher()
        publisher.publish(events)


def _drop_events(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)
    _forget_dirty(session)


def _forget_dirty(session: Session) -> None:
    session.info.pop(_DIRTY, None)
    session.info.pop(_DIRTY_AT, None)
