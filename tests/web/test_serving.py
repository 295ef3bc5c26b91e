"""The embedded server's handler sets TCP_NODELAY on each connection (a real gevent pywsgi server
and a real TCP client in this process), so kept-alive responses are not held back by Nagle."""

from __future__ import annotations

import io
import socket
import sys

from gevent import pywsgi
from gevent import socket as gsocket

from shared.web.serving import READ_BUFFER, NoDelayHandler


def test_each_connection_has_tcp_nodelay():
    seen = []

    class Recording(NoDelayHandler):
        def handle_one_request(self):  # inside handle(), while the connection is open
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            return super().handle_one_request()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=Recording, log=None)
    server.start()
    try:
        client = gsocket.create_connection(("127.0.0.1", server.server_port))
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
        client.close()
    finally:
        server.stop(timeout=5)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ok")
    assert seen and all(seen)


def test_plain_pywsgi_leaves_nagle_on():
    """The reason for the handler: without it the connection keeps Nagle's algorithm."""
    seen = []

    class Plain(pywsgi.WSGIHandler):
        def handle_one_request(self):
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            return super().handle_one_request()

    def app(environ, start_response):
        start_response("204 No Content", [])
        return []

    server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=Plain, log=None)
    server.start()
    try:
        client = gsocket.create_connection(("127.0.0.1", server.server_port))
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while client.recv(4096):
            pass
        client.close()
    finally:
        server.stop(timeout=5)
    assert seen == [0]


def test_small_read_buffer_still_reads_big_headers_and_bodies():
    """The connection's read buffer is small (a websocket keeps it for good), yet a request whose
    headers and body are larger than it arrives whole."""
    sizes, got = [], []

    class Recording(NoDelayHandler):
        def handle_one_request(self):
            sizes.append(sys.getsizeof(self.rfile))  # a BufferedReader counts its buffer
            return super().handle_one_request()

    def app(environ, start_response):
        got.append((environ["HTTP_COOKIE"], environ["wsgi.input"].read()))
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    cookie, body = "c=" + "x" * 6000, b"y" * 20_000
    server = pywsgi.WSGIServer(("127.0.0.1", 0), app, handler_class=Recording, log=None)
    server.start()
    try:
        client = gsocket.create_connection(("127.0.0.1", server.server_port))
        head = f"POST / HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n"
        client.sendall(head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
        client.close()
    finally:
        server.stop(timeout=5)
    assert answer.startswith(b"HTTP/1.1 200") and got == [(cookie, body)]
    assert sizes and max(sizes) < READ_BUFFER + 1024 < io.DEFAULT_BUFFER_SIZE
