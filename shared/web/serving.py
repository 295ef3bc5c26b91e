"""The embedded server's connection handler (run.py, gevent's pywsgi).

pywsgi sends a response's headers and its body in two writes. On a kept-alive connection Nagle's
algorithm holds the body back until the client acknowledges the headers, and clients delay that
acknowledgement (about 40 ms on Linux): every request after a connection's first waited ~40 ms
for nothing (measured: 48 ms for /kiosk/api/services kept alive, 5 ms on a new connection).
Gunicorn sets TCP_NODELAY on its own sockets; the embedded server needs it said.

pywsgi reads the request through an 8 KB buffer that lives as long as the connection; a TV's or
ticket page's websocket keeps it for good while reading the socket itself (5,000 TVs: 40 MB). A
request's line and headers fit a smaller one; bigger bodies are read past the buffer anyway.
"""

from __future__ import annotations

import socket

from gevent import pywsgi

READ_BUFFER = 2048


class NoDelayHandler(pywsgi.WSGIHandler):
    """pywsgi's handler with TCP_NODELAY on the connection (small writes leave at once) and a
    small read buffer (see above)."""

    def __init__(self, sock, address, server):
        super().__init__(sock, address, server, rfile=sock.makefile("rb", READ_BUFFER))

    def handle(self):
        if self.socket.family in (socket.AF_INET, socket.AF_INET6):
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return super().handle()
