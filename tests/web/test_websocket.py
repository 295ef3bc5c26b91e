"""engine.io's websockets read in the handler's greenlet (shared/web/websocket.py): a real gevent
pywsgi server (shared/web/serving.py's handler) serving a real engine.io server in this process,
and a websocket client over a real TCP socket framed by wsproto."""

from __future__ import annotations

import contextlib
import gc
import json
from collections import Counter

import engineio
import gevent
import pytest
from gevent import pywsgi
from gevent import socket as gsocket
from greenlet import greenlet
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Ping,
    Pong,
    Request,
    TextMessage,
)
from wsproto.extensions import PerMessageDeflate

from shared.web import websocket, websocket_tasks
from shared.web.serving import NoDelayHandler

WAIT = 30  # seconds an expected event may take on a busy machine: a bound, not a measurement


class Client:
    """A websocket client on a gevent socket; offers permessage-deflate as browsers do."""

    def __init__(self, port: int, path: str = "/engine.io/?EIO=4&transport=websocket"):
        self.sock = gsocket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(WAIT)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.accepted: AcceptConnection | None = None
        self.events: list = []
        self.closed = False
        self.sock.sendall(
            self.ws.send(
                Request(
                    host="127.0.0.1",
                    target=path,
                    extensions=[PerMessageDeflate()],
                )
            )
        )
        while self.accepted is None:
            self._read()

    def _read(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            self.closed = True
            raise EOFError
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, AcceptConnection):
                self.accepted = event
            else:
                self.events.append(event)

    def next_event(self):
        while not self.events:
            self._read()
        return self.events.pop(0)

    def text(self) -> str:
        event = self.next_event()
        assert isinstance(event, TextMessage), event
        return event.data

    def message(self) -> str:
        """A whole text message, however many reads it arrived in."""
        parts = [self.next_event()]
        while not parts[-1].message_finished:
            parts.append(self.next_event())
        assert all(isinstance(part, TextMessage) for part in parts), parts
        return "".join(part.data for part in parts)

    def send(self, event) -> None:
        self.sock.sendall(self.ws.send(event))

    def until_closed(self) -> list:
        """Every event until the server ends the connection (a timeout fails the test)."""
        seen = []
        try:
            while True:
                seen.append(self.next_event())
        except EOFError:
            return seen


@pytest.fixture
def served():
    """An engine.io server (gevent mode, websocket only) behind pywsgi; yields (server, port)."""

    def make(**options):
        options.setdefault("transports", ["websocket"])
        eio = engineio.Server(async_mode="gevent", **options)
        websocket.install(eio)
        received, gone = [], []
        eio.on("message", lambda sid, data: received.append(data) or eio.send(sid, data))
        eio.on("disconnect", lambda sid, reason: gone.append(reason))
        server = pywsgi.WSGIServer(
            ("127.0.0.1", 0), engineio.WSGIApp(eio), handler_class=NoDelayHandler, log=None
        )
        server.start()
        servers.append(server)
        return eio, server.server_port, received, gone

    servers: list = []
    yield make
    for server in servers:
        server.stop(timeout=5)


def wait_until(predicate) -> bool:
    with gevent.Timeout(WAIT, False):
        while not predicate():
            gevent.sleep(0.01)
    return predicate()


def test_engine_io_uses_the_handler_socket_and_declines_deflate(served):
    eio, port, received, _ = served()
    assert eio._async["websocket"] is websocket.HandlerWebSocket
    client = Client(port)
    assert client.text().startswith("0{")  # engine.io's open packet
    assert client.accepted.extensions == []  # the browser's offer of permessage-deflate declined
    client.send(TextMessage("4hello"))
    assert client.text() == "4hello"  # echoed by the handler above
    client.send(BytesMessage(b"\x01\x02"))
    assert client.next_event() == BytesMessage(data=b"\x01\x02")
    assert received == ["hello", b"\x01\x02"]


def http_get(port: int, path: str) -> bytes:
    """A plain HTTP/1.0 GET on a gevent socket (urllib would block this thread's hub)."""
    sock = gsocket.create_connection(("127.0.0.1", port))
    sock.settimeout(WAIT)
    sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    sock.close()
    return answer.partition(b"\r\n\r\n")[2]


def test_upgrade_from_long_polling(served):
    """What the TV page does by default: long-polling first, then the websocket probe."""
    eio, port, received, _ = served(transports=["polling", "websocket"])
    opened = json.loads(http_get(port, "/engine.io/?EIO=4&transport=polling")[1:])
    assert opened["upgrades"] == ["websocket"]
    client = Client(port, f"/engine.io/?EIO=4&transport=websocket&sid={opened['sid']}")
    client.send(TextMessage("2probe"))
    assert client.text() == "3probe"
    client.send(TextMessage("5"))  # upgrade
    assert wait_until(lambda: eio.sockets[opened["sid"]].upgraded)
    assert client.text() == "6"  # engine.io's noop after the upgrade
    client.send(TextMessage("4over the websocket"))
    assert client.text() == "4over the websocket"
    assert received == ["over the websocket"]


def test_fragmented_message_and_websocket_ping(served):
    _, port, received, _ = served()
    client = Client(port)
    client.text()
    client.send(TextMessage("4frag", message_finished=False))
    client.send(TextMessage("mented", message_finished=True))
    client.send(Ping(b"hi"))
    assert client.next_event() == Pong(payload=b"hi")
    assert client.text() == "4fragmented"
    assert received == ["fragmented"]


def test_a_frame_larger_than_the_socket_buffer_arrives_whole(served):
    """The first send() takes part of it; the rest follows."""
    _, port, received, _ = served(max_http_buffer_size=10_000_000)
    client = Client(port)
    client.text()
    big = "4" + "0123456789" * 400_000  # 4 MB, more than the kernel takes at once
    client.send(TextMessage(big))
    parts = [client.next_event()]
    while not parts[-1].message_finished:
        parts.append(client.next_event())
    assert "".join(p.data for p in parts) == big
    assert len(received) == 1


def test_message_over_the_limit_closes_the_connection(served):
    _, port, received, gone = served(max_http_buffer_size=1000)
    client = Client(port)
    client.text()
    client.send(TextMessage("4" + "x" * 600, message_finished=False))
    client.send(TextMessage("y" * 600, message_finished=True))
    seen = client.until_closed()
    assert any(isinstance(e, CloseConnection) and e.code == 1009 for e in seen), seen
    assert received == []
    assert wait_until(lambda: gone)


def test_client_close_ends_the_server_side(served):
    eio, port, _, gone = served()
    client = Client(port)
    client.text()
    client.send(CloseConnection(code=1000))
    seen = client.until_closed()
    assert any(isinstance(e, CloseConnection) for e in seen), seen
    assert wait_until(lambda: gone and not eio.sockets)


def test_a_live_client_stays_and_silent_ones_are_dropped(served):
    """With a 0.2 s ping interval and timeout: the client that answers every ping is still
    connected after many pings; one that talks but never answers a ping is dropped by engine.io's
    ping timeout; one that says nothing at all is dropped too (by the ping timeout or the read
    timeout of interval + timeout, whichever comes first)."""
    eio, port, _, gone = served(ping_interval=0.2, ping_timeout=0.2)
    live, chatty, silent = Client(port), Client(port), Client(port)
    for client in (live, chatty, silent):
        client.text()
    pongs, echoes = [], []

    def answer_pings():
        while True:
            message = live.text()
            if message == "2":
                live.send(TextMessage("3"))
                pongs.append(message)
            else:
                echoes.append(message)

    def chat():
        with contextlib.suppress(OSError):  # until the server drops it
            while True:
                chatty.send(TextMessage("4chat"))
                gevent.sleep(0.02)

    tasks = [gevent.spawn(answer_pings), gevent.spawn(chat)]
    try:
        seen = silent.until_closed()
        assert not [e for e in seen if not isinstance(e, (TextMessage, CloseConnection))]
        seen = chatty.until_closed()
        assert TextMessage(data="2") in seen  # pinged, never answered
        assert wait_until(lambda: len(gone) == 2)
        assert "ping timeout" in gone  # the chatty one's, at least
        assert set(gone) <= {"ping timeout", "transport close"}
        assert wait_until(lambda: len(pongs) >= 10)
        assert len(gone) == 2 and len(eio.sockets) == 1
        live.send(TextMessage("4still here"))
        assert wait_until(lambda: echoes == ["4still here"])
    finally:
        gevent.killall(tasks)


def test_one_greenlet_per_websocket(served):
    """The server's handler only: no reader, no writer, no sleeping ping greenlet."""

    def running() -> dict:
        return {id(g): g for g in gc.get_objects() if isinstance(g, greenlet) and not g.dead}

    eio, port, _, _ = served()
    before = running()
    clients = [Client(port) for _ in range(10)]
    for client in clients:
        client.text()
    assert wait_until(lambda: len(eio.sockets) == 10)
    new = [g for key, g in running().items() if key not in before]
    kinds = Counter(getattr(g._run, "__name__", "?") for g in new)
    # and engine.io's one service task for all, started by the first connection
    assert kinds == {"_handle_and_close_when_done": 10, "_service_task": 1}


def named_clients(eio, port: int, *names: str) -> dict:
    """{name: (client, its engine.io sid)}: each client says its name once it is open."""
    sids: dict = {}
    eio.on("message", lambda sid, data: sids.setdefault(data, sid))
    clients = {name: Client(port) for name in names}
    for name, client in clients.items():
        client.text()
        client.send(TextMessage("4" + name))
    assert wait_until(lambda: len(sids) == len(names))
    return {name: (client, sids[name]) for name, client in clients.items()}


def test_a_tv_that_does_not_read_holds_up_no_other(served):
    """Writes never wait: while one client reads nothing, its kernel buffer fills and the rest
    waits in its backlog (with a greenlet of its own only then); another client still gets each
    message at once, and the slow one gets everything, in order, once it reads."""
    eio, port, _, _ = served()
    clients = named_clients(eio, port, "slow", "quick")
    (slow, slow_sid), (quick, quick_sid) = clients["slow"], clients["quick"]
    writing = eio.sockets[slow_sid].queue.websocket
    assert writing.flusher is None  # no greenlet while nothing waits
    chunk = "z" * 60_000
    sent = 0
    while writing.flusher is None and sent < 1000:  # until the kernel takes no more
        eio.send(slow_sid, f"{sent:04d}{chunk}")
        sent += 1
    assert writing.flusher is not None and writing.backlog
    for index in range(5):
        eio.send(quick_sid, f"at once {index}")
        assert quick.text() == f"4at once {index}"
    got = [slow.message() for _ in range(sent)]
    assert got == [f"4{index:04d}{chunk}" for index in range(sent)]
    assert wait_until(lambda: writing.flusher is None and not writing.backlog)


def test_a_close_waits_for_what_was_sent_before_it(served):
    """engine.io closing a socket whose client is behind: every message, then the close."""
    eio, port, _, gone = served()
    ((slow, slow_sid),) = named_clients(eio, port, "slow").values()
    writing = eio.sockets[slow_sid].queue.websocket
    chunk = "y" * 60_000
    sent = 0
    while writing.flusher is None and sent < 1000:
        eio.send(slow_sid, f"{sent:04d}{chunk}")
        sent += 1
    closing = gevent.spawn(eio.disconnect, slow_sid)  # it waits until the client has read all
    texts = [slow.message() for _ in range(sent + 1)]
    seen = slow.until_closed()
    assert texts[:sent] == [f"4{index:04d}{chunk}" for index in range(sent)]
    assert texts[sent:] == ["1"]  # engine.io's CLOSE packet
    assert [type(e) for e in seen] == [CloseConnection]
    closing.join(WAIT)
    assert closing.dead and closing.successful()
    assert wait_until(lambda: gone and not eio.sockets)


def test_a_broadcast_is_framed_once_for_every_client(served):
    """One engine.io packet sent to many sockets: framed once, and each client reads it whole."""
    eio, port, _, _ = served()
    clients = named_clients(eio, port, *(f"tv{index}" for index in range(5)))
    pkt = engineio.packet.Packet(engineio.packet.MESSAGE, "ticket.called A-001")
    framed = []
    real = websocket_tasks._FRAMING.send_data
    websocket_tasks._FRAMING.send_data = lambda *a, **k: framed.append(a) or real(*a, **k)
    try:
        for _client, sid in clients.values():
            eio.send_packet(sid, pkt)
    finally:
        websocket_tasks._FRAMING.send_data = real
    assert len(framed) == 1
    for client, _sid in clients.values():
        assert client.text() == "4ticket.called A-001"


def test_the_servers_read_buffer_is_let_go_once_the_websocket_reads(served):
    """pywsgi's buffered reader of each websocket's connection is closed (its buffer freed);
    the websocket still reads and writes."""
    eio, port, received, _ = served()
    clients = [Client(port) for _ in range(3)]
    for client in clients:
        client.text()
    assert wait_until(lambda: len(eio.sockets) == 3)
    handlers = [g for g in gc.get_objects() if isinstance(g, NoDelayHandler)]
    readers = [h.rfile for h in handlers if getattr(h, "rfile", None) is not None]
    assert len(readers) == 3 and all(reader.closed for reader in readers)
    clients[0].send(TextMessage("4still read"))
    assert clients[0].text() == "4still read"
    assert received == ["still read"]
