"""PostgreSQL and Redis restarting UNDER LOAD: kiosks keep taking tickets and a clerk keeps
calling while the private database (or Redis) stops and starts again, the app processes staying
up. Afterwards every acknowledged ticket exists exactly once, no number is given twice, a
request that failed is safe to repeat with its key (never a second ticket), no ticket is called
twice, and (Redis) the TV catches up with the calls it missed."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter as Tally
from contextlib import ExitStack

import pytest
import requests
from sqlalchemy import func, select

from shared.db import make_engine, make_session_factory
from shared.models import Ticket
from tests.scale.mall import counter_one
from tests.scale.processes import Clerk, KioskClient
from tests.scale.stacks import (
    apps_on_private_redis,
    private_demo_postgres,
    start_apps,
    subscribers,
    wait_for_subscribers,
)

pytestmark = pytest.mark.slow
KIOSKS = 4


class Load:
    """Kiosk threads taking tickets (a fresh key each) and a clerk calling and serving."""

    def __init__(self, kiosk_base: str, counter_base: str, counter: dict):
        self.counter = counter
        self.kiosks = [KioskClient(kiosk_base) for _ in range(KIOSKS)]
        self.clerk = Clerk(counter_base, counter["clerk"])
        self.acked: list[dict] = []  # 201 answers: the citizen holds these tickets
        self.unsure: list[str] = []  # keys of requests that failed: the kiosk will repeat them
        self.statuses: Tally = Tally()
        self.called: list[int] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.threads = [threading.Thread(target=self._take, args=(k,)) for k in self.kiosks]
        self.threads.append(threading.Thread(target=self._call))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(60)

    def _take(self, kiosk: KioskClient) -> None:
        while not self.done.is_set():
            key = uuid.uuid4().hex
            try:
                answer = kiosk.take(self.counter["service"], key=key, timeout=30)
                status = answer.status_code
            except requests.RequestException as error:
                answer, status = None, type(error).__name__
            with self.lock:
                self.statuses[status] += 1
                if status == 201:
                    self.acked.append(answer.json()["ticket"])
                else:
                    self.unsure.append(key)
            if status != 201:
                time.sleep(0.2)

    def _call(self) -> None:
        while not self.done.is_set():
            try:
                self._finish_current()  # what a failed answer may have left at the counter
                answer = self.clerk.call_next(self.counter["id"], timeout=30)
                ticket = answer.json().get("ticket") if answer.status_code == 200 else None
                if ticket is None:
                    time.sleep(0.2)
                    continue
                self.called.append(ticket)
                self.clerk.serve(ticket["id"])
            except (requests.RequestException, AssertionError, ValueError, KeyError):
                time.sleep(0.2)  # the database is away: the clerk presses again

    def _finish_current(self) -> None:
        url = f"{self.clerk.base}/counter/api/counters/{self.counter['id']}"
        current = self.clerk.http.get(url, timeout=30).json()["current"]
        if current is not None:
            if current["id"] not in {t["id"] for t in self.called}:
                self.called.append(current)
            self.clerk.serve(current["id"])

    def wait_for(self, more: int, seconds: float = 60) -> None:
        target = len(self.acked) + more
        deadline = time.monotonic() + seconds
        while len(self.acked) < target and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.acked) >= target, f"the load stalled: {dict(self.statuses)}"

    def wait_for_calls(self, more: int = 1, seconds: float = 60) -> dict:
        """Until the clerk has called ``more`` tickets more (on a loaded machine the kiosks may
        take their 20 tickets before the clerk calls any); the last one called."""
        target = len(self.called) + more
        deadline = time.monotonic() + seconds
        while len(self.called) < target and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.called) >= target, "the clerk made no call"
        return self.called[-1]

    def settle(self, kiosk_base: str) -> None:
        """The kiosks repeat each failed request with its key; then check the database."""
        kiosk = KioskClient(kiosk_base)
        for key in self.unsure:
            answer = kiosk.take(self.counter["service"], key=key)
            # 201: it had not been taken; 200: it had, and this is the same ticket again.
            assert answer.status_code in (200, 201), answer.text
            self.acked.append(answer.json()["ticket"])


def check_tickets(db_url: str, load: Load) -> None:
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            stored = {t.code: t for t in session.execute(select(Ticket)).scalars()}
            codes = Tally(t["code"] for t in load.acked)
            # Each ticket a citizen holds is there once, with the number printed on it.
            assert len(codes) == len(load.acked), "a repeated key gave a second ticket"
            for ticket in load.acked:
                assert stored[ticket["code"]].display_number == ticket["number"]
            # No number given twice in a service's day.
            counts = session.execute(
                select(Ticket.service_id, Ticket.business_date, Ticket.number, func.count())
                .group_by(Ticket.service_id, Ticket.business_date, Ticket.number)
                .having(func.count() > 1)
            ).all()
            assert counts == [], counts
    finally:
        engine.dispose()
    ids = [t["id"] for t in load.called]
    assert len(set(ids)) == len(ids), "a ticket was called twice"


def test_postgresql_restart_under_load(tmp_path):
    with private_demo_postgres(tmp_path) as (database, counter, env), ExitStack() as stack:
        kiosk_app, counter_app = start_apps(("kiosk", "counter"), env, tmp_path)
        stack.callback(kiosk_app.stop)
        stack.callback(counter_app.stop)
        with Load(kiosk_app.base, counter_app.base, counter) as load:
            load.wait_for(20)
            database.stop()
            time.sleep(2)  # the kiosks and the clerk keep pressing meanwhile
            database.start()
            load.wait_for(20)
            calls_before = len(load.called)
            deadline = time.monotonic() + 30
            while len(load.called) == calls_before and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(load.called) > calls_before, "the clerk could not call after restart"
        # Only tickets and clean "database unavailable" answers: no 500, no timeout.
        assert set(load.statuses) <= {201, 503}, load.statuses
        assert load.statuses[503] > 0, "the load missed the outage"
        load.settle(kiosk_app.base)
        check_tickets(database.url, load)


def test_redis_restart_under_load(demo_db_url, tmp_path):
    counter = counter_one(demo_db_url)
    with apps_on_private_redis(demo_db_url, tmp_path) as apps:
        cache, channel, tv = apps.cache, apps.channel, apps.tv
        kiosk_app, counter_app, display_app = apps.kiosk, apps.counter, apps.display
        listening = subscribers(cache.url, channel)
        with Load(kiosk_app.base, counter_app.base, counter) as load:
            load.wait_for(20)
            heard = load.wait_for_calls()
            assert tv.wait_for_number(heard["number"], 15), "the TV missed a call before the outage"
            cache.stop()
            load.wait_for(20)  # HTTP goes on without Redis
            load.wait_for_calls()  # a call the TV cannot hear
            cache.start()
            resubscribed = wait_for_subscribers(cache.url, channel, listening)
            assert resubscribed == listening, "no resubscription to Redis"
            load.wait_for(20)
        assert set(load.statuses) == {201}, load.statuses  # Redis never fails a request
        check_tickets(demo_db_url, load)

        # The snapshot ends with the clerk's last call (a real TV takes one when it sees a gap).
        state = requests.get(f"{display_app.base}/display/api/state?zone=1", timeout=10).json()
        assert state["recent_calls"][0]["number"] == load.called[-1]["number"]
        # And the next call reaches it live.
        clerk = load.clerk
        assert KioskClient(kiosk_app.base).take(counter["service"]).status_code == 201
        fresh = clerk.call_next(counter["id"]).json()["ticket"]
        message = tv.wait_for_number(fresh["number"], 15)
        assert message is not None, "no ticket.called after Redis came back under load"
        # The TV missed calls while Redis was away: the sequence numbers it got show the gap.
        seqs = [m["seq"] for m in tv.calls if m["room"] == message["room"]]
        assert any(b > a + 1 for a, b in zip(seqs, seqs[1:], strict=False)), seqs
