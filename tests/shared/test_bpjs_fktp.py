"""Antrean FKTP: a puskesmas's JKN visit sends add, panggil (present / absent) and batal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared import queue
from shared.bpjs.bridges import set_bridge
from shared.models import Counter, PatientIdentity
from tests.fake_bpjs import CONS_ID, SECRET, USER_KEY, fake_bpjs
from tests.hospital import build_hospital
from tests.shared.test_bpjs_outbound import T0, _doctor_session, _drain, _relay, _serve

CARD = "0001234567890"


@pytest.fixture
def pkm(factory, session, db_url, tmp_path):
    from shared.config import Config

    config = Config(database_url=db_url, demo=True, instance_path=str(tmp_path / "instance"))
    rs = build_hospital(factory)  # the same shape serves a puskesmas: registration → poli
    rs.poli.bpjs_code = "001"
    with fake_bpjs(variant="fktp") as fake:
        set_bridge(
            session,
            config,
            rs.site.id,
            cons_id=CONS_ID,
            secret=SECRET,
            user_key=USER_KEY,
            url=fake.url,
            variant="fktp",
        )
        yield rs, fake, config


def _booked(session, rs, minutes=0):
    row = _doctor_session(session, rs)
    ticket = queue.issue_ticket(
        session,
        rs.poli.id,
        source="booking",
        payer="jkn",
        doctor_session_id=row.id,
        now=T0 + timedelta(minutes=minutes),
    )
    session.add(
        PatientIdentity(
            visit_id=ticket.visit_id,
            card_number=CARD[:-1] + str(minutes % 10),
            erase_after=T0.date() + timedelta(days=30),
        )
    )
    return ticket


def test_a_visit_is_added_then_called_present(session, pkm, db_url):
    rs, fake, config = pkm
    ticket = _booked(session, rs)
    _serve(session, ticket, T0 + timedelta(minutes=5), prescription="none")
    _drain(session, _relay(db_url, config), T0 + timedelta(hours=1))
    assert fake.fktp == {(T0.date().isoformat(), "001", CARD[:-1] + "0"): ["add", "panggil:1"]}
    assert fake.refused == []


def test_a_no_show_is_absent_and_a_cancel_is_batal(session, pkm, db_url):
    rs, fake, config = pkm
    absent = _booked(session, rs, minutes=1)
    counter = session.query(Counter).filter(Counter.services.contains(rs.poli)).first()
    queue.call_next(session, counter, now=T0 + timedelta(minutes=2))
    for n in range(absent.service.recall_limit):
        queue.recall_ticket(session, absent, now=T0 + timedelta(minutes=3 + n))
    queue.mark_no_show(session, absent, now=T0 + timedelta(minutes=6))
    gone = _booked(session, rs, minutes=2)
    queue.cancel_ticket(session, gone, now=T0 + timedelta(minutes=7))
    _drain(session, _relay(db_url, config), T0 + timedelta(hours=1))
    day = T0.date().isoformat()
    assert fake.fktp[(day, "001", CARD[:-1] + "1")] == ["add", "panggil:2"]
    assert fake.fktp[(day, "001", CARD[:-1] + "2")] == ["add", "batal"]
    assert fake.refused == []
