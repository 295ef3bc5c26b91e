"""Alerts end to end through the outbox, with real processes: run.py (its own relay, or none),
``antre outbox work`` as a process of its own, and a fake WhatsApp gateway. A worker killed with
SIGKILL mid-delivery loses nothing (the retry carries the same id), a rolled-back change sends
nothing, and two workers side by side on PostgreSQL deliver each message once.

The sender is tests/gateway_sender.py (the documented default gateway body) until a real one is
registered on main; the processes are started through its launchers so that they have it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, select

from shared import queue
from shared.db import make_engine, make_session_factory
from shared.models import Counter, OutboxMessage, Ticket
from shared.outbox import store
from tests.fake_receiver import fake_receiver
from tests.scale.mall import counter_one
from tests.scale.processes import Clerk, KioskClient, kill, stop
from tests.servers import ROOT, running_server

pytestmark = pytest.mark.slow
LAUNCHER = ("-m", "tests.gateway_sender", "run")
PHONE = "0812 3456 7890"


def _env(db_url: str, gateway: str, tmp_path: Path, **extra) -> dict[str, str]:
    return {
        "ANTRE_DATABASE_URL": db_url,
        "ANTRE_DEMO": "1",
        "ANTRE_RATE_LIMITS": "0",
        "ANTRE_INSTANCE_PATH": str(tmp_path / "instance"),
        "ANTRE_NOTIFY_GATEWAY_URL": gateway,
        "ANTRE_PUBLIC_URL": "http://antre.test",
        "ANTRE_OUTBOX_POLL_SECONDS": "0.1",
        **extra,
    }


@contextmanager
def server(db_url, gateway, tmp_path, **extra):
    env = _env(db_url, gateway, tmp_path, **extra)
    log = tmp_path / f"server-{time.monotonic_ns()}.log"
    with running_server(db_url, log_path=log, launcher=LAUNCHER, **env) as (base, _process):
        yield base


def start_worker(db_url: str, gateway: str, tmp_path: Path) -> subprocess.Popen:
    """``antre outbox work`` (with the stand-in sender), leasing for 3 s instead of a minute."""
    env = {**os.environ, **_env(db_url, gateway, tmp_path, ANTRE_TEST_OUTBOX_LEASE_SECONDS="3")}
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
    command = [sys.executable, "-m", "tests.gateway_sender", "antre", "outbox", "work"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def opt_in(base: str, service_id: int, phone: str = PHONE) -> dict:
    answer = KioskClient(base).take(service_id)
    assert answer.status_code == 201, answer.text
    ticket = answer.json()["ticket"]
    notify = KioskClient(base).http.post(
        f"{base}/t/{ticket['code']}/notify", json={"channel": "whatsapp", "phone": phone}
    )
    assert notify.status_code == 201, notify.text
    return ticket


def call_until(clerk: Clerk, counter: dict, number: str) -> dict:
    """Call (and serve whoever came first) until ``number`` is at the counter."""
    for _ in range(50):
        answer = clerk.call_next(counter["id"])
        assert answer.status_code == 200, answer.text
        called = answer.json()["ticket"]
        assert called is not None, f"{number} never came up"
        if called["number"] == number:
            return called
        clerk.serve(called["id"])
    raise AssertionError(f"{number} never came up")


def outbox(db_url: str) -> list[OutboxMessage]:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            rows = list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
            session.commit()  # SQLite: end the write transaction every session opens here
            return rows
    finally:
        engine.dispose()


def wait_all_delivered(db_url: str, seconds: float = 60) -> list[OutboxMessage]:
    deadline = time.monotonic() + seconds
    while True:
        rows = outbox(db_url)
        if rows and all(r.delivered_at is not None for r in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError([(r.uid, r.attempts, r.last_error) for r in rows])
        time.sleep(0.2)


def call_alerts_for(receiver, number: str) -> list[dict]:
    return [r.json() for r in receiver.requests if r.json()["ticket"] == number]


def test_the_embedded_relay_delivers_a_call_alert_without_any_worker(demo_db_url, tmp_path):
    counter = counter_one(demo_db_url)
    with fake_receiver() as gateway, server(demo_db_url, gateway.url, tmp_path) as base:
        ticket = opt_in(base, counter["service"])
        call_until(Clerk(base, counter["clerk"]), counter, ticket["number"])
        gateway.wait_for(1)
        [alert] = call_alerts_for(gateway, ticket["number"])
        assert alert["to"] == "+6281234567890" and alert["channel"] == "whatsapp"
        assert f"http://antre.test/t/{ticket['code']}" in alert["text"]


def test_a_worker_process_delivers_when_the_web_process_does_not(demo_db_url, tmp_path):
    counter = counter_one(demo_db_url)
    with ExitStack() as stack:
        gateway = stack.enter_context(fake_receiver())
        base = stack.enter_context(
            server(demo_db_url, gateway.url, tmp_path, ANTRE_OUTBOX_RELAY="off")
        )
        ticket = opt_in(base, counter["service"])
        call_until(Clerk(base, counter["clerk"]), counter, ticket["number"])
        [message] = [m for m in outbox(demo_db_url) if m.payload["ticket"] == ticket["number"]]
        assert message.delivered_at is None and gateway.requests == []  # nobody delivers yet
        worker = start_worker(demo_db_url, gateway.url, tmp_path)
        stack.callback(stop, worker)
        gateway.wait_for(1)
        assert call_alerts_for(gateway, ticket["number"])[0]["id"] == message.uid


class CommitRefused(Exception):
    pass


def _call_and_roll_back(db_url: str, counter_id: int, code: str) -> None:
    """A call of a subscribed ticket whose commit fails once its alert is written (a call's
    alert is written at the commit, shared/alerts/triggers.py): the alert must never leave."""
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            counter = session.get(Counter, counter_id)
            ticket = session.execute(select(Ticket).where(Ticket.code == code)).scalar_one()
            queue.call_ticket(session, counter, ticket)

            def refuse(_session) -> None:  # after the factory's own hooks: the alert is written
                assert store.enqueued(session)
                raise CommitRefused

            event.listen(session, "before_commit", refuse)
            with pytest.raises(CommitRefused):
                session.commit()
            session.rollback()
    finally:
        engine.dispose()


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_rolled_back(
    demo_db_url, tmp_path
):
    counter = counter_one(demo_db_url)
    hold = threading.Event()
    with ExitStack() as stack:
        gateway = stack.enter_context(fake_receiver(hold=hold))
        base = stack.enter_context(
            server(demo_db_url, gateway.url, tmp_path, ANTRE_OUTBOX_RELAY="off")
        )
        clerk = Clerk(base, counter["clerk"])
        first = opt_in(base, counter["service"], "0812 1111 0001")
        first_called = call_until(clerk, counter, first["number"])
        worker = start_worker(demo_db_url, gateway.url, tmp_path)
        stack.callback(stop, worker)
        gateway.wait_for(1)  # the worker is inside the delivery, the gateway holds its answer
        kill(worker)
        # While no worker runs: another alert is written, and a rolled-back call writes none.
        clerk.serve(first_called["id"])
        second = opt_in(base, counter["service"], "0812 1111 0002")
        clerk.serve(call_until(clerk, counter, second["number"])["id"])
        never = opt_in(base, counter["service"], "0812 1111 0003")
        _call_and_roll_back(demo_db_url, counter["id"], never["code"])
        gateway.hold = None
        hold.set()
        again = start_worker(demo_db_url, gateway.url, tmp_path)
        stack.callback(stop, again)
        rows = wait_all_delivered(demo_db_url)
        received = Tally(r.json()["id"] for r in gateway.requests)
        assert set(received) == {r.uid for r in rows}  # every message arrived
        held = gateway.requests[0].json()["id"]
        assert received[held] == 2  # the retry carried the same id
        assert [r.attempts for r in rows if r.uid == held] == [2]
        assert call_alerts_for(gateway, second["number"])
        never_called = [r for r in rows if r.payload["ticket"] == never["number"]]
        assert all(r.payload["event"] != "call" for r in never_called)


@pytest.mark.postgres
def test_two_workers_on_postgresql_deliver_each_message_once(pg_url, tmp_path):
    from shared.config import Config
    from shared.web.startup import prepare_database

    prepare_database(Config(database_url=pg_url, demo=True), upgrade=False)
    counter = counter_one(pg_url)
    with ExitStack() as stack:
        gateway = stack.enter_context(fake_receiver())
        base = stack.enter_context(server(pg_url, gateway.url, tmp_path, ANTRE_OUTBOX_RELAY="off"))
        workers = [start_worker(pg_url, gateway.url, tmp_path) for _ in range(2)]
        for worker in workers:
            stack.callback(stop, worker)
        clerk = Clerk(base, counter["clerk"])
        tickets = [opt_in(base, counter["service"], f"0812 2222 {n:04d}") for n in range(12)]
        for ticket in tickets:
            called = call_until(clerk, counter, ticket["number"])
            clerk.serve(called["id"])
        rows = wait_all_delivered(pg_url)
        assert len({r.payload["ticket"] for r in rows if r.payload["event"] == "call"}) == 12
        gateway.wait_for(len(rows))
        received = Tally(r.json()["id"] for r in gateway.requests)
        assert set(received) == {r.uid for r in rows} and set(received.values()) == {1}
