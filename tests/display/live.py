"""A real Antre server process for the display's live tests, and queue actions made beside it.

The server is ``python run.py`` on a free port with its own SQLite file; the tests act on the
same file with the domain functions (as a counter would) and publish through Redis when asked.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from shared import events, queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, Service
from tests.factories import mpp_counters

ROOT = Path(__file__).resolve().parents[2]
BOOT_SECONDS = 90  # migrating and seeding on a busy 2-core machine takes a while


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    tmp: Path
    port: int = field(default_factory=free_port)
    env_extra: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.tmp / 'antre.db'}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {
            **os.environ,
            "ANTRE_DATABASE_URL": self.db_url,
            "ANTRE_INSTANCE_PATH": str(self.tmp / "instance"),
            "ANTRE_DEMO": "1",
            "ANTRE_RATE_LIMITS": "0",
            **self.env_extra,
        }
        log = open(self.tmp / f"server-{time.time():.0f}.log", "w")  # noqa: SIM115 - kept open
        self.process = subprocess.Popen(
            [sys.executable, "run.py", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: see {log.name}")
            try:
                if requests.get(self.base + "/display/", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not answer in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


def act(db_url: str, what, publisher=None):
    """Run ``what(session)`` on the server's database and commit, publishing if asked."""
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine, publisher or events.NullPublisher())() as session:
            result = what(session)
            session.commit()
            return result
    finally:
        engine.dispose()


def issue_and_call(db_url: str, counter_number: int, publisher=None) -> dict:
    """Issue a ticket for the counter's first service and call it there, as a clerk would."""

    def run(session):
        counter = session.execute(
            mpp_counters().where(Counter.number == counter_number)
        ).scalar_one()
        service: Service = counter.services[0]
        if queue.active_ticket(session, counter) is not None:
            active = queue.active_ticket(session, counter)
            if active.status == "called":
                queue.start_ticket(session, active)
            queue.finish_ticket(session, active)
        queue.issue_ticket(session, service.id)
        called = queue.call_next(session, counter)
        assert called is not None
        return {"ticket_id": called.id, "number": called.display_number, "code": called.code}

    return act(db_url, run, publisher)
