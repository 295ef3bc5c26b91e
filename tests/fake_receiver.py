"""A real HTTP receiver the tests start: a webhook endpoint, an SMS/WhatsApp gateway, BPJS.

It records every request (method, path, headers, body) and answers from a script of statuses
(then 200 for ever); ``hold`` makes the next requests wait until released, to kill a sender
mid-delivery.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class FakeReceiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    reply: dict = field(default_factory=lambda: {"ok": True})
    hold: threading.Event | None = None
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """Block until ``count`` requests have arrived (or fail the test after ``timeout``)."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} requests arrived")
        return list(self.requests)


def _handler(receiver: FakeReceiver):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with receiver.arrived:
                receiver.requests.append(
                    Received(self.command, self.path, dict(self.headers.items()), body)
                )
                receiver.arrived.notify_all()
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                hold = receiver.hold
            if hold is not None:
                hold.wait(60)
            payload = json.dumps(receiver.reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = do_GET = _serve  # noqa: N815 - http.server's names

        def log_message(self, *args) -> None:  # quiet
            pass

    return Handler


@contextmanager
def fake_receiver(**fields) -> Iterator[FakeReceiver]:
    receiver = FakeReceiver(**fields)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.shutdown()
        server.server_close()
