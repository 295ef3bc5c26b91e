"""A lobby TV (or a ticket page) for the benchmarks that speaks Socket.IO's wire protocol with
aiohttp alone.

python-socketio's AsyncClient spends about 0.3 ms of CPU on each message it receives (measured
with ``socket_fanout``: 1.7 s of client CPU per broadcast to 5,000 TVs). On a small machine the
swarm shares the cores with the server, so with thousands of those clients the fan-out's latency
measures mostly the clients. This client does what a TV's connection does on the wire and no
more: the engine.io 4 handshake over a websocket, the /display namespace's connect, the ``join``
event with its acknowledgement, a PONG for every PING, and each event it listens for read with
``json.loads``. The latency it reports is the same quantity: from the call to the TV's receipt.
The same client on /ticket, joined with a ticket's code, is a lean ticket page.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import aiohttp

OPEN, PING, PONG, MESSAGE = "0", "2", "3", "4"
CONNECT, EVENT, ACK = "0", "2", "3"  # Socket.IO packet types, after engine.io's MESSAGE


class Refused(Exception):
    pass


class LeanClient:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        base: str,
        path: str,
        deflate: bool = False,
        namespace: str = "/display",
    ):
        self.namespace = namespace
        scheme, rest = base.split("://", 1)
        socket_scheme = "wss" if scheme == "https" else "ws"
        self.url = f"{socket_scheme}://{rest}/{path.strip('/')}/?EIO=4&transport=websocket"
        self.http = http
        self.compress = 15 if deflate else 0  # offer permessage-deflate, as browsers do
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def join(self, body: dict, timeout: float) -> dict:
        """Open the websocket, connect the namespace, send ``join`` and return its answer."""
        self.ws = await self.http.ws_connect(
            self.url, timeout=timeout, autoping=True, compress=self.compress
        )
        opened = await self._text(timeout)
        if not opened.startswith(OPEN):
            raise Refused(f"no engine.io open packet: {opened[:80]}")
        namespace = self.namespace
        await self.ws.send_str(f"{MESSAGE}{CONNECT}{namespace},")
        connected = await self._text(timeout)
        if not connected.startswith(f"{MESSAGE}{CONNECT}{namespace},"):
            raise Refused(f"namespace refused: {connected[:120]}")
        await self.ws.send_str(f"{MESSAGE}{EVENT}{namespace},0" + json.dumps(["join", body]))
        answer = await self._text(timeout)
        if not answer.startswith(f"{MESSAGE}{ACK}{namespace},0"):
            raise Refused(f"no answer to join: {answer[:120]}")
        return json.loads(answer[len(f"{MESSAGE}{ACK}{namespace},0") :])[0]

    async def _text(self, timeout: float) -> str:
        """The next text message that is not a PING (answered on the way)."""
        while True:
            message = await self.ws.receive(timeout=timeout)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise Refused(f"connection ended: {message.type.name}")
            if message.data == PING:
                await self.ws.send_str(PONG)
                continue
            return message.data

    async def listen(self, handlers: dict[str, Callable[[dict], None]]) -> str:
        """Until the connection ends (then why): ``handlers[name](payload)`` per event so named."""
        head = f"{MESSAGE}{EVENT}{self.namespace},"
        prefixes = {f'{head}["{name}",': handle for name, handle in handlers.items()}
        skip = len(head)
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = message.data
            if data == PING:
                await self.ws.send_str(PONG)
                continue
            for prefix, handle in prefixes.items():
                if data.startswith(prefix):
                    handle(json.loads(data[skip:])[1])
        return "closed by the server" if self.ws.close_code else "connection lost"

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
