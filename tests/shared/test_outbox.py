"""The outbox: written with the change, delivered at least once, in order per key, by relays
that may be killed mid-delivery or run side by side."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shared.models import OutboxMessage
from shared.outbox import enqueue
from tests.fake_receiver import fake_receiver
from tests.outbox_probe import relay_for
from tests.servers import ROOT

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _messages(session):
    """The table as it is now; the read ends its transaction (SQLite's write lock is taken at
    BEGIN here, and the relay needs it)."""
    session.expire_all()
    rows = list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
    session.commit()
    return rows


def test_a_rolled_back_change_sends_nothing_and_a_committed_one_arrives(session, db_url):
    with fake_receiver() as receiver:
        enqueue(session, "probe", {"url": receiver.url, "n": 1}, now=NOW)
        session.rollback()
        enqueue(session, "probe", {"url": receiver.url, "n": 2}, now=NOW)
        session.commit()
        relay = relay_for(db_url)
        assert relay.run_once(NOW) == 1
        [got] = receiver.requests
        assert got.json()["payload"]["n"] == 2
        [message] = _messages(session)
        assert got.headers["X-Outbox-Id"] == message.uid
        assert message.delivered_at == NOW and message.attempts == 1
        assert relay.run_once(NOW) == 0


def test_a_retry_carries_the_same_id_after_a_backoff(session, db_url):
    with fake_receiver(statuses=[503]) as receiver:
        enqueue(session, "probe", {"url": receiver.url}, now=NOW)
        session.commit()
        relay = relay_for(db_url)
        relay.run_once(NOW)
        [message] = _messages(session)
        assert message.delivered_at is None and message.last_status == 503
        assert message.not_before > NOW
        assert relay.run_once(NOW + timedelta(seconds=1)) == 0  # not due yet
        relay.run_once(NOW + timedelta(minutes=1))
        first, second = receiver.requests
        assert first.headers["X-Outbox-Id"] == second.headers["X-Outbox-Id"]
        assert _messages(session)[0].delivered_at is not None


def test_a_refusal_is_kept_visible_and_not_retried(session, db_url):
    with fake_receiver(statuses=[400]) as receiver:
        enqueue(session, "probe", {"url": receiver.url}, now=NOW)
        session.commit()
        relay = relay_for(db_url)
        relay.run_once(NOW)
        [message] = _messages(session)
        assert message.failed_at == NOW and "HTTP 400" in message.last_error
        assert relay.run_once(NOW + timedelta(days=1)) == 0


def test_messages_of_one_key_leave_in_order(session, db_url):
    # Two receivers: the 503 is scripted for key booking:7's first message only, whichever
    # message the relay's pool happens to send first.
    with fake_receiver(statuses=[503]) as first, fake_receiver() as other:
        for n in (1, 2):
            enqueue(session, "probe", {"url": first.url, "n": n}, key="booking:7", now=NOW)
        enqueue(session, "probe", {"url": other.url, "n": 3}, key="booking:8", now=NOW)
        session.commit()
        relay = relay_for(db_url)
        relay.run_once(NOW)  # 1 fails (503); 2 waits behind it; 3 has its own key
        assert [r.json()["payload"]["n"] for r in first.requests] == [1]
        assert [r.json()["payload"]["n"] for r in other.requests] == [3]
        relay.run_once(NOW + timedelta(minutes=1))  # 1 delivered; 2 still behind until next round
        relay.run_once(NOW + timedelta(minutes=1))
        assert [r.json()["payload"]["n"] for r in first.requests] == [1, 1, 2]


def test_a_relay_killed_mid_delivery_loses_nothing(session, db_url):
    hold = threading.Event()
    with fake_receiver(hold=hold) as receiver:
        enqueue(session, "probe", {"url": receiver.url}, now=NOW)
        enqueue(session, "probe", {"url": receiver.url, "never": True}, now=NOW)
        session.rollback()  # the second transaction's message must never arrive
        enqueue(session, "probe", {"url": receiver.url, "n": 1}, now=NOW)
        session.commit()
        process = subprocess.Popen([sys.executable, "-m", "tests.outbox_probe", db_url], cwd=ROOT)
        try:
            receiver.wait_for(1)  # the relay is inside the delivery
        finally:
            process.kill()
            process.wait()
        receiver.hold = None
        hold.set()
        later = datetime.now(UTC) + timedelta(minutes=5)  # the killed relay's lease has run out
        assert relay_for(db_url).run_once(later) == 1
        first, second = receiver.wait_for(2)
        assert first.headers["X-Outbox-Id"] == second.headers["X-Outbox-Id"]
        assert all("never" not in r.json()["payload"] for r in receiver.requests)
        [message] = _messages(session)
        assert message.delivered_at is not None


def test_relays_side_by_side_on_postgresql_claim_each_message_once(pg_url):
    from shared.db import make_engine, make_session_factory
    from shared.outbox import store

    factory = make_session_factory(make_engine(pg_url))
    with factory() as session:
        for n in range(300):
            enqueue(session, "probe", {"n": n}, now=NOW)
        session.commit()
    claimed: Counter = Counter()
    lock = threading.Lock()

    def claim_all() -> None:
        with factory() as session:
            while batch := store.claim(session, NOW, limit=7):
                with lock:
                    claimed.update(m.id for m in batch)

    threads = [threading.Thread(target=claim_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(claimed) == 300 and set(claimed.values()) == {1}
