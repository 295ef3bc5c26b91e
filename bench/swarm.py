"""Socket.IO client swarms for the benchmarks: python-socketio AsyncClients in worker processes.

A worker process connects its share of lobby TVs (``/display``, joined to a zone as tv.js does)
and ticket pages (``/ticket``, joined with a ticket code as ticket.js does), each over its own
websocket, and notes when every message arrives with ``time.monotonic()`` (CLOCK_MONOTONIC on
Linux: one clock for every process on the machine, so the timing process can compare).

The parent talks to a worker over a pipe: the worker says ``ready`` once all its clients joined,
``complete`` each time every one of its TVs has a given ticket.called, and ``result`` after
``stop``. The clients run in other processes than the timing one so that their CPU time does not
delay the clock that starts each measurement.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import time
from dataclasses import dataclass, field

import aiohttp
import socketio

from bench.lean_tv import LeanClient

CONNECT_SECONDS = 60


@dataclass
class Plan:
    base: str
    path: str = "socket.io"
    zone: int = 1
    tvs: int = 0
    codes: list[str] = field(default_factory=list)
    concurrency: int = 50  # connections being opened at once
    # One zone per TV (then tvs is len(tv_zones)): TVs of several sites in one worker, each
    # keeping what it received (the result's "receipts"), e.g. to find a call on another site's TV.
    tv_zones: list[int] = field(default_factory=list)
    # Offer permessage-deflate as browsers do (aiohttp offers nothing unless asked).
    deflate: bool = False
    # TVs and pages as bench.lean_tv.LeanClient (the wire protocol with aiohttp alone), not
    # python-socketio's AsyncClients.
    lean: bool = False

    def __post_init__(self):
        if self.tv_zones:
            self.tvs = len(self.tv_zones)


def raise_open_files() -> int:
    """Every websocket is a file descriptor: take the hard limit as the soft one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Worker:
    def __init__(self, plan: Plan, conn):
        self.plan, self.conn = plan, conn
        self.clients: list[socketio.AsyncClient] = []
        self.called: dict[int, list[float]] = {}  # ticket id -> arrival at each TV
        self.pages: dict[str, dict] = {}  # code -> what its page saw
        self.failed: list[str] = []
        self.stopping = False
        self.tvs_joined = 0
        self.joined = 0
        self.began = time.monotonic()
        self.drops: list[tuple[str, float]] = []  # why and when (seconds after the start)
        self.receipts: dict[int, list[tuple[int, float]]] = {}  # with tv_zones: per TV
        self.tv_drops: set[int] = set()  # with tv_zones: the TVs that lost their connection
        self.http: aiohttp.ClientSession | None = None  # the lean TVs' connections
        self.listening: list[asyncio.Task] = []

    def client(self) -> socketio.AsyncClient:
        if self.plan.deflate:
            return socketio.AsyncClient(
                reconnection=False, websocket_extra_options={"compress": 15}
            )
        return socketio.AsyncClient(reconnection=False)

    async def lean_tv(self, index: int) -> None:
        client = LeanClient(self.http, self.plan.base, self.plan.path, self.plan.deflate)

        def called(message):
            arrivals = self.called.setdefault(message["ticket_id"], [])
            arrivals.append(time.monotonic())
            if len(arrivals) == self.tvs_joined:
                self.conn.send(("complete", message["ticket_id"]))

        body = {"zone": self.plan.zone}
        if await self.lean_join(client, body, {"ticket.called": called}, f"lean tv {index}"):
            self.tvs_joined += 1

    async def lean_page(self, code: str) -> None:
        client = LeanClient(self.http, self.plan.base, self.plan.path, namespace="/ticket")
        handlers = self.page_handlers(code)
        await self.lean_join(client, {"code": code}, handlers, f"lean page {code}")

    async def lean_join(self, client: LeanClient, body: dict, handlers: dict, label: str) -> bool:
        async def listen():
            reason = await client.listen(handlers)
            if not self.stopping:
                self.drops.append((reason, round(time.monotonic() - self.began, 1)))

        try:
            answer = await client.join(body, CONNECT_SECONDS)
        except Exception as error:  # counted and reported, the rest of the swarm goes on
            self.failed.append(f"{label}: {type(error).__name__} {error}")
            return False
        self.clients.append(client)
        if not answer or not answer.get("ok"):
            self.failed.append(f"{label}: join refused {answer}")
            return False
        self.listening.append(asyncio.create_task(listen()))
        self.joined += 1
        return True

    async def tv(self, index: int) -> None:
        client = self.client()
        zone = self.plan.tv_zones[index] if self.plan.tv_zones else self.plan.zone
        mine = self.receipts.setdefault(index, []) if self.plan.tv_zones else None

        def called(message):
            now = time.monotonic()
            arrivals = self.called.setdefault(message["ticket_id"], [])
            arrivals.append(now)
            if mine is not None:
                mine.append((message["ticket_id"], now))
            elif len(arrivals) == self.tvs_joined:
                self.conn.send(("complete", message["ticket_id"]))

        client.on("ticket.called", called, namespace="/display")
        on_drop = (lambda: self.tv_drops.add(index)) if mine is not None else None
        if await self.join(client, "/display", {"zone": zone}, f"tv {index} zone {zone}", on_drop):
            self.tvs_joined += 1
        elif mine is not None:
            del self.receipts[index]  # not joined: not one of the TVs that must see the calls

    def page_handlers(self, code: str) -> dict:
        """What a ticket page counts: its ticket's changes (the time of its call) and its
        queue's."""
        seen = self.pages[code] = {"ticket_changed": 0, "queue_changed": 0, "called_at": None}

        def changed(message):
            now = time.monotonic()
            seen["ticket_changed"] += 1
            if message.get("action") == "call" and seen["called_at"] is None:
                seen["called_at"] = now
                seen["ticket_id"] = message["ticket"]["id"]

        def queue_changed(_message):
            seen["queue_changed"] += 1

        return {"ticket.changed": changed, "queue.changed": queue_changed}

    async def page(self, code: str) -> None:
        client = self.client()
        for name, handle in self.page_handlers(code).items():
            client.on(name, handle, namespace="/ticket")
        await self.join(client, "/ticket", {"code": code}, f"page {code}")

    async def join(self, client, namespace: str, body: dict, label: str, on_drop=None) -> bool:
        def dropped(reason=None):
            if not self.stopping:
                self.drops.append((str(reason), round(time.monotonic() - self.began, 1)))
                if on_drop is not None:
                    on_drop()

        client.on("disconnect", dropped, namespace=namespace)
        try:
            await client.connect(
                self.plan.base,
                namespaces=[namespace],
                socketio_path=self.plan.path,
                transports=["websocket"],
                wait_timeout=CONNECT_SECONDS,
            )
            answer = await client.call("join", body, namespace=namespace, timeout=CONNECT_SECONDS)
        except Exception as error:  # counted and reported, the rest of the swarm goes on
            self.failed.append(f"{label}: {type(error).__name__} {error}")
            return False
        self.clients.append(client)
        if not answer or not answer.get("ok"):
            self.failed.append(f"{label}: join refused {answer}")
            return False
        self.joined += 1
        return True

    async def run(self) -> None:
        began = time.monotonic()
        gate = asyncio.Semaphore(self.plan.concurrency)

        async def gated(coroutine):
            async with gate:
                await coroutine

        if self.plan.lean:
            self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        tv, page = (self.lean_tv, self.lean_page) if self.plan.lean else (self.tv, self.page)
        jobs = [tv(i) for i in range(self.plan.tvs)] + [page(c) for c in self.plan.codes]
        await asyncio.gather(*(gated(job) for job in jobs))
        self.conn.send(
            (
                "ready",
                {
                    "connected": len(self.clients),
                    "joined": self.joined,
                    "failed": len(self.failed),
                    "errors": self.failed[:5],
                    "seconds": round(time.monotonic() - began, 2),
                },
            )
        )
        loop = asyncio.get_running_loop()
        cpu_ready = time.process_time()  # what the clients spend from here: the broadcasts
        while (await loop.run_in_executor(None, self.conn.recv))[0] != "stop":
            pass
        result = {
            "cpu_seconds_after_ready": time.process_time() - cpu_ready,
            "called": self.called,
            "pages": self.pages,
            "drops": self.drops,
            "receipts": self.receipts,
            "tv_drops": sorted(self.tv_drops),
        }
        self.stopping = True
        await asyncio.gather(
            *(c.close() if isinstance(c, LeanClient) else c.disconnect() for c in self.clients),
            return_exceptions=True,
        )
        if self.http is not None:
            await self.http.close()
        self.conn.send(("result", result))


def _main(plan: Plan, conn) -> None:
    raise_open_files()
    asyncio.run(Worker(plan, conn).run())


class Swarm:
    """Worker processes started with 'spawn' (no state inherited from the timing process)."""

    def __init__(self, plans: list[Plan]):
        context = multiprocessing.get_context("spawn")
        self.plans = [p for p in plans if p.tvs or p.codes]
        self.pipes, self.processes = [], []
        for plan in self.plans:
            mine, theirs = context.Pipe()
            process = context.Process(target=_main, args=(plan, theirs), daemon=True)
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)

    def ready(self, seconds: float) -> list[dict]:
        return [self._expect(pipe, "ready", seconds) for pipe in self.pipes]

    def wait_called(self, ticket_id: int, seconds: float) -> bool:
        """True when every TV of every worker has this ticket.called (False on time-out)."""
        deadline = time.monotonic() + seconds
        for pipe, plan in zip(self.pipes, self.plans, strict=True):
            if not plan.tvs:
                continue
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not pipe.poll(left):
                    return False
                kind, found = pipe.recv()
                if kind == "complete" and found == ticket_id:
                    break
        return True

    def stop(self, seconds: float = 60) -> list[dict]:
        results = []
        for pipe in self.pipes:
            pipe.send(("stop",))
        for pipe in self.pipes:
            results.append(self._expect(pipe, "result", seconds))
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
        return results

    @staticmethod
    def _expect(pipe, kind: str, seconds: float):
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not pipe.poll(left):
                raise TimeoutError(f"a swarm worker did not say {kind} within {seconds} s")
            message = pipe.recv()
            if message[0] == kind:
                return message[1]


def drop_summary(results: list[dict]) -> dict:
    """Why clients were dropped during the run, and when (seconds after their worker started)."""
    drops = [d for r in results for d in r["drops"]]
    reasons: dict[str, int] = {}
    for reason, _ in drops:
        reasons[reason] = reasons.get(reason, 0) + 1
    times = [t for _, t in drops]
    return (
        {"count": len(drops), "reasons": reasons, "between_s": [min(times), max(times)]}
        if drops
        else {"count": 0}
    )


def split(total: int, parts: int) -> list[int]:
    """total spread over parts as evenly as can be: split(10, 3) == [4, 3, 3]."""
    parts = max(1, parts)
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
