"""A JKN visit's steps reach a fake BPJS over real HTTP, through the outbox, once and in order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from shared import queue
from shared.bpjs.antrean import kodebooking_for
from shared.bpjs.bridges import set_bridge
from shared.bpjs.sending import BPJS
from shared.config import Config
from shared.db import make_engine, make_session_factory
from shared.health import record_patient_identity
from shared.models import Counter, OutboxMessage, PatientIdentity
from shared.outbox.relay import Relay
from shared.queue import doctors
from tests.fake_bpjs import CONS_ID, SECRET, USER_KEY, fake_bpjs
from tests.hospital import build_hospital

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 08:00 WIB
TASKS = "/antrean/updatewaktu"


@pytest.fixture
def bpjs_config(db_url, tmp_path):
    return Config(database_url=db_url, demo=True, instance_path=str(tmp_path / "instance"))


@pytest.fixture
def rs(factory):
    rs = build_hospital(factory)
    rs.poli.bpjs_code = "INT"
    return rs


@pytest.fixture
def fake():
    with fake_bpjs() as running:
        yield running


@pytest.fixture
def bridged(session, rs, fake, bpjs_config):
    set_bridge(
        session,
        bpjs_config,
        rs.site.id,
        cons_id=CONS_ID,
        secret=SECRET,
        user_key=USER_KEY,
        url=fake.url,
    )
    session.flush()
    return rs


def _relay(db_url, config) -> Relay:
    # The rate limit counts wall-clock seconds while these rounds run in virtual time: lifted,
    # so that a fast machine's rounds are not taken for a burst.
    handlers = {"bpjs": replace(BPJS, rate="1000/second")}
    return Relay(make_session_factory(make_engine(db_url)), config, handlers=handlers)


def _drain(session, relay, start: datetime, step=timedelta(minutes=1), rounds=60) -> None:
    session.commit()  # SQLite: the relay needs the write lock
    now = start
    for _ in range(rounds):
        relay.run_once(now)
        now += step


def _serve(session, ticket, at: datetime, **finish):
    counter = session.query(Counter).filter(Counter.services.contains(ticket.service)).first()
    called = queue.call_next(session, counter, now=at)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=at + timedelta(minutes=1))
    queue.finish_ticket(session, called, now=at + timedelta(minutes=5), **finish)
    return max(called.visit.tickets, key=lambda t: t.id)


def _doctor_session(session, rs):
    return doctors.sessions_for_day(session, rs.poli, T0.date())[0]


def _walk_in_to_pharmacy(session, rs, *, identity=True):
    row = _doctor_session(session, rs)
    ticket = queue.issue_ticket(session, rs.poli.id, payer="jkn", doctor_session_id=row.id, now=T0)
    if identity:
        session.add(
            PatientIdentity(
                visit_id=ticket.visit_id,
                card_number="0001234567890",
                nik="3201010101010001",
                medical_record="RM-77",
                erase_after=T0.date() + timedelta(days=30),
            )
        )
    at_poli = _serve(session, ticket, T0 + timedelta(minutes=10))
    at_pharmacy = _serve(session, at_poli, T0 + timedelta(minutes=30), prescription="racikan")
    _serve(session, at_pharmacy, T0 + timedelta(minutes=50))
    return ticket.visit


def test_a_jkn_walk_in_sends_add_then_tasks_1_to_7_with_the_pharmacy(
    session, bridged, fake, db_url, bpjs_config
):
    visit = _walk_in_to_pharmacy(session, bridged)
    rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert all(
        "nomorkartu" not in str(row.payload) and "3201010101" not in str(row.payload)
        for row in rows
    )
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=1))

    paths = [path for path, _ in fake.accepted]
    assert paths[0] == "/antrean/add"
    add = fake.accepted[0][1]
    assert add["nomorkartu"] == "0001234567890" and add["norm"] == "RM-77"
    assert add["kodepoli"] == "INT" and add["kodedokter"] == 1001 and add["angkaantrean"] == 1
    assert add["jampraktek"] == "00:00-23:59" and add["kuotajkn"] == 24
    code = add["kodebooking"]
    assert fake.task_ids(code) == [1, 2, 3, 4, 5, 6, 7]
    assert paths.index("/antrean/farmasi/add") == paths.index(TASKS) + 5  # after 5, before 6
    times = [waktu for _, waktu in fake.tasks[code]]
    assert times == sorted(set(times))
    assert times[0] == int(T0.timestamp() * 1000)  # task 1: the registration ticket's issue
    assert fake.refused == []
    assert visit.id


def test_the_add_waiting_for_the_identity_is_written_at_the_identitys_time(session, bridged):
    """The registration clerk types the card number minutes after the kiosk's ticket: the add it
    releases is written as of that moment, not of the ticket's issue nor of the wall clock."""
    row = _doctor_session(session, bridged)
    ticket = queue.issue_ticket(
        session, bridged.poli.id, payer="jkn", doctor_session_id=row.id, now=T0
    )
    assert session.execute(select(OutboxMessage)).first() is None  # waiting for the identity
    typed = T0 + timedelta(minutes=7)
    record_patient_identity(
        session, ticket.visit, card_number="0001234567890", nik="3201010101010001", now=typed
    )
    written = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert written[0].payload["endpoint"] == "antrean/add"  # then the tasks it held back
    assert {(m.created_at, m.not_before) for m in written} == {(typed, typed)}


def test_a_returning_patient_with_a_booking_starts_at_task_3(
    session, bridged, fake, db_url, bpjs_config
):
    row = _doctor_session(session, bridged)
    ticket = queue.issue_ticket(
        session, bridged.poli.id, source="booking", payer="jkn", doctor_session_id=row.id, now=T0
    )
    assert ticket.service_id == bridged.poli.id
    at_pharmacy = _serve(session, ticket, T0 + timedelta(minutes=5), prescription="non_racikan")
    _serve(session, at_pharmacy, T0 + timedelta(minutes=20))
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=1))
    code = fake.accepted[0][1]["kodebooking"]
    assert fake.accepted[0][1]["nomorkartu"] == ""  # not identified yet: sent empty
    assert fake.task_ids(code) == [3, 4, 5, 6, 7]
    assert fake.refused == []


def test_a_no_show_sends_99_and_a_cancel_also_batal(session, bridged, fake, db_url, bpjs_config):
    row = _doctor_session(session, bridged)
    absent = queue.issue_ticket(
        session, bridged.poli.id, source="booking", payer="jkn", doctor_session_id=row.id, now=T0
    )
    counter = session.query(Counter).filter(Counter.services.contains(bridged.poli)).first()
    queue.call_next(session, counter, now=T0 + timedelta(minutes=1))
    for n in range(absent.service.recall_limit):
        queue.recall_ticket(session, absent, now=T0 + timedelta(minutes=2 + n))
    queue.mark_no_show(session, absent, now=T0 + timedelta(minutes=5))
    gone = queue.issue_ticket(
        session, bridged.poli.id, source="booking", payer="jkn", doctor_session_id=row.id, now=T0
    )
    queue.cancel_ticket(session, gone, now=T0 + timedelta(minutes=6))
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=1))
    codes = [body["kodebooking"] for path, body in fake.accepted if path == "/antrean/add"]
    assert [fake.task_ids(code) for code in codes] == [[3, 99], [3, 99]]
    cancelled = [body["kodebooking"] for path, body in fake.accepted if path == "/antrean/batal"]
    assert cancelled == [kodebooking_for(gone.visit)]


def test_an_outage_then_recovery_delivers_every_task_once_and_in_order(
    session, bridged, fake, db_url, bpjs_config
):
    fake.outage = 6
    _walk_in_to_pharmacy(session, bridged)
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=1), step=timedelta(hours=1))
    assert len(fake.requests) > len(fake.accepted)  # the 503s were retried
    code = fake.accepted[0][1]["kodebooking"]
    assert fake.task_ids(code) == [1, 2, 3, 4, 5, 6, 7]
    assert fake.refused == []
    session.expire_all()
    rows = session.execute(select(OutboxMessage)).scalars().all()
    assert all(row.delivered_at is not None for row in rows)


def test_nothing_is_sent_without_a_bridge_or_for_umum(session, rs, factory):
    _walk_in_to_pharmacy(session, rs, identity=False)
    ticket = queue.issue_ticket(session, rs.reg_umum.id, now=T0)
    _serve(session, ticket, T0 + timedelta(minutes=3))
    assert session.execute(select(OutboxMessage).where(OutboxMessage.kind == "bpjs")).all() == []


def test_a_refusal_is_kept_with_bpjs_message(session, bridged, fake, db_url, bpjs_config):
    bridged.poli.bpjs_code = ""  # not mapped: BPJS refuses the add
    row = _doctor_session(session, bridged)
    queue.issue_ticket(
        session, bridged.poli.id, source="booking", payer="jkn", doctor_session_id=row.id, now=T0
    )
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=1), rounds=3)
    add = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().first()
    assert add.failed_at is not None and "Data belum lengkap" in add.last_error


def test_a_sender_killed_after_bpjs_took_the_call_does_not_send_it_twice(
    session, bridged, fake, db_url, bpjs_config
):
    from shared.outbox import store

    _walk_in_to_pharmacy(session, bridged)
    session.commit()
    sessions = make_session_factory(make_engine(db_url))
    with sessions() as claiming:
        [first] = store.claim(claiming, T0 + timedelta(hours=1), limit=1, kinds=("bpjs",))
        claiming.expunge_all()
    BPJS.deliver(first, bpjs_config)  # BPJS has it; the process dies before recording that
    assert [path for path, _ in fake.accepted] == ["/antrean/add"]
    _drain(session, _relay(db_url, bpjs_config), T0 + timedelta(hours=2))
    code = fake.accepted[0][1]["kodebooking"]
    assert fake.task_ids(code) == [1, 2, 3, 4, 5, 6, 7]
    assert [path for path, _ in fake.accepted].count("/antrean/add") == 1
    assert [message for _, message in fake.refused] == ["Kode booking sudah terdaftar"]
    session.expire_all()
    rows = session.execute(select(OutboxMessage)).scalars().all()
    assert all(row.delivered_at is not None for row in rows)
