"""The kiosk's poli: today's doctors with places left, the payer, and where the ticket goes first.

A test hospital (tests/hospital.py) beside the demo MPP in the app's database, over real HTTP.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from shared.models import DoctorSession, Ticket
from tests.factories import Factory
from tests.hospital import build_hospital


@pytest.fixture
def rs(app_session, register_kiosk):
    """(hospital, kiosk token): the hospital's ids read before the session is committed."""
    hospital = build_hospital(Factory(app_session), capacity=3, quota_jkn=2)
    ids = {
        "site": hospital.site.id,
        "poli": hospital.poli.id,
        "poli_name": hospital.poli.name,
        "reg_jkn": hospital.reg_jkn.id,
        "reg_jkn_name": hospital.reg_jkn.name,
        "reg_umum": hospital.reg_umum.id,
        "reg_umum_name": hospital.reg_umum.name,
        "doctor": hospital.doctor.name,
    }
    app_session.commit()
    token, _ = register_kiosk(site_id=ids["site"])
    return ids, {"X-Kiosk-Token": token, "Accept-Language": "id"}


def _listed(client, headers) -> dict:
    answer = client.get("/kiosk/api/services", headers=headers)
    assert answer.status_code == 200
    return {s["id"]: s for s in answer.get_json()["services"]}


def _take(client, headers, service_id, key, **extra):
    body = {"service_id": service_id, "idempotency_key": key, **extra}
    return client.post("/kiosk/api/tickets", json=body, headers=headers)


def test_a_poli_lists_todays_doctors_with_places_left(client, rs):
    ids, headers = rs
    listed = _listed(client, headers)
    poli = listed[ids["poli"]]
    [doctor] = poli["doctors"]
    assert doctor["name"] == ids["doctor"] and doctor["bpjs_code"] == "1001"
    assert doctor["session"] == "00:00–23:59"
    assert (doctor["quota_jkn_left"], doctor["quota_nonjkn_left"]) == (2, 1)
    assert isinstance(doctor["id"], int)
    assert poli["asks_payer"] is True
    assert poli["first_step"] == {
        "jkn": {
            "service_id": ids["reg_jkn"],
            "service": ids["reg_jkn_name"],
            "step": "Pendaftaran",
        },
        "umum": {
            "service_id": ids["reg_umum"],
            "service": ids["reg_umum_name"],
            "step": "Pendaftaran",
        },
    }
    # Registration is the first step and has no doctors: today's shape, nothing added.
    assert "doctors" not in listed[ids["reg_jkn"]]
    assert "first_step" not in listed[ids["reg_jkn"]]
    assert "asks_payer" not in listed[ids["reg_jkn"]]


def test_a_ticket_for_a_poli_queues_at_the_payers_registration_and_places_go_down(
    client, app_session, rs
):
    ids, headers = rs
    session_id = _listed(client, headers)[ids["poli"]]["doctors"][0]["id"]
    taken = _take(
        client, headers, ids["poli"], "poli-jkn-0001", payer="jkn", doctor_session_id=session_id
    )
    assert taken.status_code == 201, taken.get_json()
    ticket = taken.get_json()["ticket"]
    assert ticket["service_id"] == ids["reg_jkn"] and ticket["service"] == ids["reg_jkn_name"]
    assert ticket["planned"] == {
        "service_id": ids["poli"],
        "service": ids["poli_name"],
        "doctor": ids["doctor"],
        "session": "00:00–23:59",
    }
    row = app_session.query(Ticket).filter_by(code=ticket["code"]).one()
    assert row.visit.plan == {"2": ids["poli"]}
    assert row.visit.payer == "jkn" and row.visit.doctor_session_id == session_id
    app_session.commit()

    again = _take(
        client, headers, ids["poli"], "poli-jkn-0001", payer="jkn", doctor_session_id=session_id
    )
    assert again.status_code == 200  # the same key: the same ticket, no second place
    doctor = _listed(client, headers)[ids["poli"]]["doctors"][0]
    assert (doctor["quota_jkn_left"], doctor["quota_nonjkn_left"]) == (1, 1)

    umum = _take(
        client, headers, ids["poli"], "poli-umum-001", payer="umum", doctor_session_id=session_id
    )
    assert umum.get_json()["ticket"]["service_id"] == ids["reg_umum"]
    doctor = _listed(client, headers)[ids["poli"]]["doctors"][0]
    assert (doctor["quota_jkn_left"], doctor["quota_nonjkn_left"]) == (1, 0)


def test_a_full_session_answers_409_in_indonesian(client, app_session, rs):
    ids, headers = rs
    session_id = _listed(client, headers)[ids["poli"]]["doctors"][0]["id"]
    first = _take(
        client, headers, ids["poli"], "umum-pertama", payer="umum", doctor_session_id=session_id
    )
    assert first.status_code == 201
    full = _take(
        client, headers, ids["poli"], "umum-kedua-01", payer="umum", doctor_session_id=session_id
    )
    assert full.status_code == 409
    body = full.get_json()
    assert body["error"] == "session_full"
    assert "Tidak ada tempat tersisa" in body["message"], body["message"]
    # nothing was issued and no place was taken by the refused request
    assert app_session.query(Ticket).filter_by(service_id=ids["reg_umum"]).count() == 1
    row = app_session.get(DoctorSession, session_id)
    assert (row.taken_jkn, row.taken_nonjkn, row.last_number) == (0, 1, 1)
    app_session.commit()


def test_another_polis_session_or_a_bad_payer_is_refused(client, rs):
    ids, headers = rs
    session_id = _listed(client, headers)[ids["poli"]]["doctors"][0]["id"]
    wrong = _take(client, headers, ids["reg_jkn"], "sesi-salah-01", doctor_session_id=session_id)
    assert wrong.status_code == 404
    bad = _take(client, headers, ids["poli"], "bayar-salah-1", payer="asuransi")
    assert bad.status_code in (400, 422)


def test_the_service_list_reads_a_fixed_number_of_statements(app, client, app_session, rs):
    """More polis with doctors do not mean more statements: the list is the kiosk's hot read."""
    ids, headers = rs
    from shared.web.database import database

    engine = database(app).engine
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    _listed(client, headers)  # the day's sessions are made on the first ask
    event.listen(engine, "before_cursor_execute", count)
    try:
        _listed(client, headers)
        few = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # A second poli with its own doctor, and a third: the count stays the same.
    factory = Factory(app_session)
    from shared.models import Doctor, DoctorSchedule, PathwayStep, Service

    poli = app_session.get(Service, ids["poli"])
    step = app_session.query(PathwayStep).filter(PathwayStep.services.contains(poli)).one()
    for n in range(2):
        other = factory.service(poli.agency)
        factory.counter([other])
        step.services.append(other)
        doctor = Doctor(site_id=ids["site"], service=other, name=f"dr. Lain {n}", bpjs_code="")
        doctor.schedules = [
            DoctorSchedule(weekday=d, start="00:00", end="23:59", capacity=5, quota_jkn=4)
            for d in range(7)
        ]
        app_session.add(doctor)
    app_session.commit()
    _listed(client, headers)
    statements.clear()
    event.listen(engine, "before_cursor_execute", count)
    try:
        listed = _listed(client, headers)
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum(1 for s in listed.values() if s.get("doctors")) == 3
    assert many == few, (few, many)
