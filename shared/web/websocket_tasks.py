"""engine.io's per-socket background work under gevent, without a greenlet per TV.

engine.io starts two tasks for every websocket through its server's ``start_background_task``:
``Socket._send_ping``, which sleeps a ping interval and queues a PING, and the ``writer`` of
``Socket._websocket_handler``, which waits on the socket's queue and sends what comes. Each is a
parked greenlet per TV (its saved stack and its queue: ~5 KB traced a TV, docs/benchmarks.md).
``BackgroundTasks`` intercepts both:

- the ping waits on a timer of gevent's loop (~0.2 KB) and a short greenlet queues the PING; the
  time-out check stays engine.io's;
- the writer is replaced by ``PacketWriter``, put in place of the socket's queue: the greenlet
  that sends a packet (the broadcast's) frames it and hands it to the kernel at once, without
  waiting (``HandlerWebSocket.write``). A packet broadcast to many TVs is one engine.io object,
  so its frame is built once for all of them. Only a TV whose kernel buffer is full gets a
  greenlet, for as long as its backlog lasts.
"""

from __future__ import annotations

import time

import engineio.socket
import gevent
from engineio import packet
from wsproto.frame_protocol import FrameProtocol

# engine.io 4.15's writer, a closure over the socket (``self``) and its websocket (``ws``).
WRITER = "Socket._websocket_handler.<locals>.writer"
# Server frames are not masked, so one frame of a message is right for every connection; used
# only for whole messages (no fragments), which leave it without state.
_FRAMING = FrameProtocol(client=False, extensions=[])


def frame_of(pkt: packet.Packet) -> bytes:
    """The websocket frame of an engine.io packet, kept on the packet (as engine.io keeps its
    encoding): a broadcast's packet is framed once, not once per TV."""
    frame = getattr(pkt, "antre_frame", None)
    if frame is None:
        frame = pkt.antre_frame = bytes(_FRAMING.send_data(pkt.encode(), fin=True))
    return frame


class PacketWriter:
    """Stands in for an engine.io socket's queue once its websocket is open, and for the writer
    task that engine.io would have read it with (``join``)."""

    def __init__(self, websocket, empty_exception):
        self.websocket = websocket
        self.empty_exception = empty_exception

    def put(self, pkt) -> None:
        if pkt is None:  # engine.io's signal that the socket is done
            self.websocket.close()
        elif self.websocket.open:
            self.websocket.write(frame_of(pkt))

    def join(self, timeout: float | None = None) -> None:
        """Until what was put has reached the kernel (or the connection failed)."""
        flusher = self.websocket.flusher
        if flusher is not None:
            flusher.join(timeout)

    # A long-polling GET that was waiting when the websocket took over may still look once more.
    def get(self, block: bool = True, timeout: float | None = None):
        raise self.empty_exception()

    def task_done(self) -> None:
        pass


def take_over_writing(eio_socket, websocket) -> PacketWriter:
    """Replace ``eio_socket``'s queue with a ``PacketWriter`` on ``websocket``; what was queued
    while the websocket opened goes first, in order."""
    queued = eio_socket.queue
    writer = PacketWriter(websocket, eio_socket.server.get_queue_empty_exception())
    eio_socket.queue = writer
    while not queued.empty():
        pkt = queued.get_nowait()
        queued.task_done()
        writer.put(pkt)
    return writer


class BackgroundTasks:
    """The engine.io server's ``start_background_task``, with its ping and writer tasks replaced
    (see the module's text); any other task is started as before."""

    def __init__(self, engineio_server, websocket_class):
        self.server = engineio_server
        self.websocket_class = websocket_class
        self.start_other = engineio_server.start_background_task

    def start_background_task(self, target, *args, **kwargs):
        if getattr(target, "__func__", None) is engineio.socket.Socket._send_ping:
            timer = gevent.get_hub().loop.timer(self.server.ping_interval)
            timer.start(gevent.spawn, self.ping, target.__self__)
            return timer
        if getattr(target, "__qualname__", None) == WRITER:
            cells = target.__closure__ or ()
            found = dict(
                zip(target.__code__.co_freevars, (c.cell_contents for c in cells), strict=True)
            )
            if isinstance(found.get("ws"), self.websocket_class) and "self" in found:
                return take_over_writing(found["self"], found["ws"])
        return self.start_other(target, *args, **kwargs)

    @staticmethod
    def ping(eio_socket) -> None:
        """What engine.io's ``Socket._send_ping`` does once its sleep is over."""
        if not eio_socket.closing and not eio_socket.closed:
            eio_socket.last_ping = time.time()
            eio_socket.send(packet.Packet(packet.PING))
