"""engine.io's websocket transport under gevent: one greenlet per TV instead of four.

engine.io (4.15) serves a websocket with simple-websocket, which reads the socket in a greenlet of
its own and hands each message to the handler's greenlet; the handler greenlet only waits. Here
the handler's greenlet reads the socket itself (as gevent-websocket did), and frames are written
by whichever greenlet sends them, without waiting (``write``); engine.io's writer and ping
greenlets give way to ``shared.web.websocket_tasks``. See docs/benchmarks.md, "Two greenlets per
TV, no permessage-deflate" and "One greenlet per TV", for what each part saves.

Also unlike simple-websocket:
- no permessage-deflate: a browser offers it, and accepting it keeps zlib's state per connection
  (measured: over 100 KB a TV) and compresses the one encoded broadcast again for every TV;
- no duplicate of the connection's socket (one file descriptor per TV, not two);
- a message is refused past engine.io's ``max_http_buffer_size`` before it is assembled whole;
- ``close()`` shuts the connection down, so the handler's read ends at once even when the client
  is gone without a word (engine.io closes it when the client misses its pings).

Installed with ``install(engineio_server)`` for async_mode "gevent" only (run.py's pywsgi server
and gunicorn's gevent worker). It leans on engine.io internals (4.15: the ``_async`` table,
``Socket._send_ping`` and the ``writer`` closure started through ``start_background_task``, the
socket's ``queue``); tests/web/test_websocket.py fails if they move.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
from importlib.metadata import version

import gevent
from wsproto import ConnectionType
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Message,
    Ping,
    Request,
    TextMessage,
)
from wsproto.frame_protocol import CloseReason
from wsproto.handshake import H11Handshake
from wsproto.utilities import LocalProtocolError, RemoteProtocolError

from shared.web.websocket_tasks import BackgroundTasks

RECEIVE_BYTES = 4096
# The engine.io releases whose internals (above) this was written and tested against: check the
# ``_async`` table, ``Socket._send_ping``, the ``writer`` closure of ``Socket._websocket_handler``
# and the socket's ``queue`` before adding one.
TESTED_ENGINEIO = ("4.15.",)

log = logging.getLogger(__name__)


class StopConnection(StopIteration):
    """Raised to gunicorn after a websocket: it closes the connection without writing a response."""


def connection_socket(environ: dict):
    """The client's socket in a gevent WSGI server's environ (gunicorn's, or pywsgi's)."""
    if "gunicorn.socket" in environ:
        return environ["gunicorn.socket"]
    wsgi_input = environ["wsgi.input"]
    rfile = getattr(wsgi_input, "rfile", wsgi_input)  # pywsgi's Input wraps the handler's rfile
    return rfile.raw._sock


def release_read_buffer(environ: dict) -> None:
    """Close the WSGI server's buffered reader of the connection, which frees its buffer (2 KB
    under run.py, 8 KB under gunicorn's gevent worker, for as long as the TV stays): once the
    websocket reads the socket itself it is never read again, and pywsgi takes a closed reader
    for the connection's end. A client sends no frame before the handshake's answer, so the
    buffer holds nothing."""
    wsgi_input = environ.get("wsgi.input")
    rfile = getattr(wsgi_input, "rfile", wsgi_input)  # pywsgi's Input, or its reader itself
    if isinstance(rfile, io.BufferedReader):
        rfile.close()


def handshake_request(environ: dict) -> bytes:
    """The upgrade request again, for wsproto: its line and the headers the WSGI server parsed."""
    lines = [b"GET / HTTP/1.1"]
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = "-".join(part.capitalize() for part in key[5:].split("_"))
            lines.append(f"{name}: {value}".encode("latin-1"))
    return b"\r\n".join(lines) + b"\r\n\r\n"


class HandlerWebSocket:
    """engine.io's ``_async['websocket']`` interface: ``__call__`` runs engine.io's handler in the
    WSGI handler's greenlet; ``wait()`` reads the next message there; ``send()`` and ``write()``
    are called by any greenlet (the handler's replies, a broadcast's through ``PacketWriter``)."""

    def __init__(self, handler, server):
        self.app = handler
        self.max_message = server.max_http_buffer_size
        self.socket = None  # engine.io gives it the ping interval + timeout as its timeout
        self.connection = None  # wsproto's, once the handshake is done (its h11 state dropped)
        self.messages: list = []
        self.partial: list = []
        self.partial_size = 0
        self.raw = None  # the socket's own non-blocking socket, for writes that never wait
        self.backlog = bytearray()  # what the kernel did not take yet, in order
        self.flusher = None  # the greenlet writing the backlog, while there is one
        self.open = False

    def __call__(self, environ, start_response):
        self.socket = connection_socket(environ)
        self.raw = getattr(self.socket, "_sock", self.socket)  # gevent's socket wraps it
        self.connection = self._accept(environ)
        release_read_buffer(environ)
        self.open = True
        try:
            result = self.app(self)
        finally:
            self._shut_down()
        if "gunicorn.socket" in environ:
            raise StopConnection()
        return result

    def _accept(self, environ):
        """wsproto's connection after the handshake; the handshake's state (~2 KB a TV) is left
        behind in this frame, not in ``__call__``'s, which lasts as long as the websocket."""
        handshake = H11Handshake(ConnectionType.SERVER)
        handshake.receive_data(handshake_request(environ))
        for event in handshake.events():
            if isinstance(event, Request):  # accepted without extensions: no permessage-deflate
                self.write(handshake.send(AcceptConnection()))
        if handshake.connection is None:
            raise ConnectionError("not a websocket upgrade")
        return handshake.connection

    def wait(self):
        """The next message (str or bytes), or None once the connection is closed."""
        while not self.messages:
            if not self.open:
                return None
            try:
                data = self.socket.recv(RECEIVE_BYTES)
            except OSError:  # reset, timed out (engine.io's ping timeout) or shut down
                data = b""
            if not data:
                self.open = False
                return None
            try:
                self.connection.receive_data(data)
                self._handle_events()
            except (LocalProtocolError, RemoteProtocolError):
                self.open = False
        return self.messages.pop(0)

    def send(self, message):
        if not self.open:
            raise OSError("websocket closed")
        event = BytesMessage(data=message) if isinstance(message, bytes) else TextMessage(message)
        self.write(self.connection.send(event))

    def write(self, data: bytes) -> None:
        """Hand ``data`` (whole frames) to the kernel now, without waiting: a broadcast to
        thousands of TVs never waits for a slow one. What the kernel does not take waits behind
        in ``backlog`` for a greenlet of its own. A failed connection is shut down, not raised:
        one gone TV must not stop a broadcast to the others."""
        if self.flusher is not None:
            self.backlog += data
            return
        try:
            sent = self.raw.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:
            self.open = False
            self._shut_down()
            return
        if sent < len(data):
            self.backlog += memoryview(data)[sent:]
            self.flusher = gevent.spawn(self._flush)

    def close(self):
        if self.open:
            self.open = False
            with contextlib.suppress(LocalProtocolError):
                self.write(self.connection.send(CloseConnection(CloseReason.NORMAL_CLOSURE)))
        if self.flusher is None:  # else the flusher shuts down once the close frame is out
            self._shut_down()

    def _handle_events(self):
        for event in self.connection.events():
            if isinstance(event, Message):
                self._collect(event)
            elif isinstance(event, Ping):
                self.write(self.connection.send(event.response()))
            elif isinstance(event, CloseConnection):
                if self.open:
                    self.write(self.connection.send(event.response()))
                self.open = False
                return

    def _collect(self, event: Message):
        self.partial_size += len(event.data)
        if self.partial_size > self.max_message:
            self.write(self.connection.send(CloseConnection(CloseReason.MESSAGE_TOO_BIG)))
            self.open = False
            return
        self.partial.append(event.data)
        if event.message_finished:
            parts, self.partial, self.partial_size = self.partial, [], 0
            joiner = "" if isinstance(event, TextMessage) else b""
            self.messages.append(parts[0] if len(parts) == 1 else joiner.join(parts))

    def _flush(self):
        """Write the backlog out, waiting for the client as long as the socket's timeout allows."""
        try:
            while self.backlog:
                data, self.backlog = self.backlog, bytearray()
                self.socket.sendall(data)
        except OSError:
            self.open = False
            self.backlog.clear()
        finally:
            self.flusher = None
        if not self.open:  # closed while this wrote, or failed
            self._shut_down()

    def _shut_down(self):
        """Ends the handler's read at once; the WSGI server closes the socket after the handler."""
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)


def install(engineio_server, engineio_version: str | None = None) -> None:
    """Serves engine.io's websockets with HandlerWebSocket, and their pings and writing with
    ``BackgroundTasks`` (async_mode "gevent" only), through engine.io's table of async parts and
    its method to start background tasks. Another engine.io than the one this was tested with
    keeps its own parts: four greenlets a TV rather than a guess at internals that may have
    moved."""
    if engineio_server.async_mode != "gevent":
        return
    found = engineio_version or version("python-engineio")
    if not found.startswith(TESTED_ENGINEIO):
        log.warning(
            "python-engineio %s: its own websockets (shared/web/websocket.py is tested with %s)",
            found,
            ", ".join(v + "x" for v in TESTED_ENGINEIO),
        )
        return
    engineio_server._async = {**engineio_server._async, "websocket": HandlerWebSocket}
    tasks = BackgroundTasks(engineio_server, HandlerWebSocket)
    engineio_server.start_background_task = tasks.start_background_task
