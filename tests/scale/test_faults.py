"""Faults with real processes: Redis going away, PostgreSQL restarting, kill -9 during a burst.

Redis and PostgreSQL are PRIVATE instances started here (the machine's shared ones serve other
tests and must never be stopped)."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from shared.db import make_engine, make_session_factory
from shared.models import Ticket
from tests.scale.mall import counter_one
from tests.scale.processes import (
    Clerk,
    KioskClient,
    kill,
)
from tests.scale.stacks import (
    apps_on_private_redis,
    private_demo_postgres,
    start_apps,
    subscribers,
    wait_for_subscribers,
)
from tests.servers import running_server

pytestmark = pytest.mark.slow


def test_without_redis_http_works_and_tvs_catch_up(demo_db_url, tmp_path):
    counter = counter_one(demo_db_url)
    with apps_on_private_redis(demo_db_url, tmp_path) as apps:
        cache, channel, tv, display_app = apps.cache, apps.channel, apps.tv, apps.display
        kiosk, clerk = KioskClient(apps.kiosk.base), Clerk(apps.counter.base, counter["clerk"])

        # Only processes with socket clients listen (python-socketio subscribes on first connect).
        listening = subscribers(cache.url, channel)
        assert listening >= 1
        cache.stop()  # Redis goes away
        started = time.monotonic()
        taken = kiosk.take(counter["service"])
        assert taken.status_code == 201, taken.text
        called = clerk.call_next(counter["id"])
        assert called.status_code == 200, called.text
        assert time.monotonic() - started < 10, "HTTP waited on the missing Redis"
        missed = called.json()["ticket"]["number"]
        assert tv.wait_for_number(missed, 2) is None  # events are lost, not queued
        clerk.serve(called.json()["ticket"]["id"])

        cache.start()  # Redis is back: every process subscribes again by itself
        resubscribed = wait_for_subscribers(cache.url, channel, listening)
        assert resubscribed == listening, "no resubscription to Redis"
        assert kiosk.take(counter["service"]).status_code == 201
        second = clerk.call_next(counter["id"])
        assert second.status_code == 200, second.text
        number = second.json()["ticket"]["number"]
        message = tv.wait_for_number(number, 15)
        assert message is not None, "no ticket.called after Redis came back"
        # The TV sees a gap in the room's sequence, so it takes a fresh snapshot: it has both.
        assert message["seq"] > tv.joins[-1]["seqs"][message["room"]] + 1
        state = requests.get(f"{display_app.base}/display/api/state?zone=1", timeout=10)
        assert missed in state.text and number in state.text


def test_apps_survive_a_postgresql_restart(tmp_path):
    with private_demo_postgres(tmp_path) as (database, counter, env):
        apps = start_apps(("kiosk", "counter"), env, tmp_path)
        try:
            kiosk = KioskClient(apps[0].base)
            clerk = Clerk(apps[1].base, counter["clerk"])
            assert kiosk.take(counter["service"]).status_code == 201

            # A burst of tickets while the database stops: each answers 201 or a clean 503.
            statuses: list[int] = []
            stop_after_first = threading.Event()

            def take_one(_):
                stop_after_first.set()
                try:
                    answer = kiosk.take(counter["service"], timeout=30)
                except requests.Timeout:
                    return "timeout"
                if answer.status_code == 503:
                    assert answer.json()["error"] == "database_unavailable"
                return answer.status_code

            with ThreadPoolExecutor(8) as pool:
                futures = [pool.submit(take_one, i) for i in range(40)]
                stop_after_first.wait(10)
                database.stop()
                statuses = [future.result() for future in futures]
            assert "timeout" not in statuses
            assert set(statuses) <= {201, 503}, statuses
            assert 503 in statuses
            down = kiosk.take(counter["service"], timeout=30)
            assert down.status_code == 503 and down.headers["Retry-After"]
            assert clerk.call_next(counter["id"]).status_code == 503

            database.start()  # the same apps, not restarted
            taken = kiosk.take(counter["service"])
            assert taken.status_code == 201, taken.text
            assert clerk.call_next(counter["id"]).status_code == 200, "no call after restart"
        finally:
            for app in apps:
                app.stop()


def test_kill_9_during_a_burst_loses_no_ticket(demo_db_url, tmp_path):
    path = demo_db_url.removeprefix("sqlite:///")
    received: list[dict] = []
    lock = threading.Lock()
    with running_server(demo_db_url, log_path=tmp_path / "first.log") as (base, process):
        services = [
            s["id"]
            for s in requests.get(f"{base}/kiosk/api/services", timeout=10).json()["services"]
            if s["open"] and s["quota_left"] is None
        ]
        kiosks = [KioskClient(base) for _ in range(20)]
        remaining = [1000]

        def run_kiosk(index: int) -> None:
            kiosk = kiosks[index]
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                try:
                    answer = kiosk.take(services[index % len(services)], timeout=10)
                except requests.RequestException:
                    return  # the server died under us
                if answer.status_code == 201:
                    with lock:
                        received.append(answer.json()["ticket"])

        threads = [threading.Thread(target=run_kiosk, args=(i,)) for i in range(20)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(received) < 300 and time.monotonic() < deadline:
            time.sleep(0.01)
        kill(process)  # kill -9 in the middle of the burst
        for thread in threads:
            thread.join(30)
    assert 300 <= len(received) < 1000, len(received)

    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with running_server(demo_db_url, log_path=tmp_path / "second.log") as (base, _process):
        engine = make_engine(demo_db_url)
        with make_session_factory(engine)() as session:
            stored = {(t.code, t.display_number) for t in session.execute(select(Ticket)).scalars()}
            for ticket in received:
                assert (ticket["code"], ticket["number"]) in stored, ticket
            before = {
                service: session.execute(select(Ticket.number).where(Ticket.service_id == service))
                .scalars()
                .all()
                for service in services
            }
        engine.dispose()
        kiosk = KioskClient(base)
        for service in services:
            fresh = kiosk.take(service).json()["ticket"]
            with make_session_factory(make_engine(demo_db_url))() as session:
                number = session.execute(
                    select(Ticket.number).where(Ticket.code == fresh["code"])
                ).scalar_one()
            assert number == max(before[service], default=0) + 1  # continues, no reuse
