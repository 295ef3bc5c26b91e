"""The clerk records a visit's patient identity; their own screen alone shows it in full."""

from __future__ import annotations

import pytest

from shared.models import AuditLog, Counter, PatientIdentity, StaffUser
from tests.factories import Factory
from tests.hospital import build_hospital

CARD, NIK, MR = "0001234567890", "1505015708900001", "RM-00123"


@pytest.fixture
def rs(db):
    make = Factory(db)
    hospital = build_hospital(make)
    registration, clinics = hospital.reg_jkn.agency, hospital.poli.agency
    make.user(StaffUser.CLERK, registration, username="reg.a")
    make.user(StaffUser.CLERK, registration, username="reg.b")
    make.user(StaffUser.SUPERVISOR, registration, username="reg.spv")
    make.user(StaffUser.CLERK, clinics, username="poli.a")
    db.commit()
    return hospital


def counter_of(db, service) -> Counter:
    return db.query(Counter).filter(Counter.services.contains(service)).first()


def called_by(client, db, service, payer="jkn") -> dict:
    """A new visit at ``service``, called by ``client`` at the service's counter."""
    from shared import queue

    queue.issue_ticket(db, service.id, payer=payer, check_availability=False)
    db.commit()
    counter = counter_of(db, service)
    answer = client.post(f"/counter/api/counters/{counter.id}/call-next", json={})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["ticket"]


def put(client, ticket_id, body):
    return client.put(f"/counter/api/tickets/{ticket_id}/patient", json=body)


def get(client, ticket_id):
    return client.get(f"/counter/api/tickets/{ticket_id}/patient")


def test_the_serving_clerk_records_and_sees_it_others_see_it_masked(staff, db, rs):
    clerk = staff("reg.a")
    ticket = called_by(clerk, db, rs.reg_jkn)
    saved = put(
        clerk, ticket["id"], {"card_number": "0001 2345 67890", "nik": NIK, "medical_record": MR}
    )
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert (body["card_number"], body["nik"], body["medical_record"]) == (CARD, NIK, MR)
    assert body["masked"] is False and body["on_pathway"] is True
    assert get(clerk, ticket["id"]).get_json()["nik"] == NIK

    for other in ("reg.b", "reg.spv"):
        seen = get(staff(other), ticket["id"]).get_json()
        assert seen["masked"] is True
        assert seen["card_number"] == "*********7890" and seen["nik"] == "************0001"
        assert seen["medical_record"] == "****0123"
    assert get(staff("poli.a"), ticket["id"]).status_code == 403  # another agency's ticket

    entry = db.query(AuditLog).filter_by(action="patient.identity").one()
    assert entry.details == {
        "ticket": ticket["number"],
        "fields": ["card_number", "medical_record", "nik"],
    }
    assert NIK not in str(entry.details) and CARD not in str(entry.details)


def test_only_the_serving_clerk_may_write(staff, db, rs):
    ticket = called_by(staff("reg.a"), db, rs.reg_jkn)
    for other in ("reg.b", "reg.spv"):
        refused = put(staff(other), ticket["id"], {"nik": NIK})
        assert refused.status_code == 403
    assert db.query(PatientIdentity).count() == 0


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"card_number": "12345"}, "card_number", "13 angka"),
        ({"card_number": 1234567890123}, "card_number", "13 angka"),
        ({"nik": "1505013208900001"}, "nik", "NIK"),
        ({"nik": "15050117089000x1"}, "nik", "NIK"),
        ({"medical_record": "RM/01"}, "medical_record", "rekam medis"),
        ({"medical_record": "x" * 41}, "medical_record", "rekam medis"),
    ],
)
def test_bad_identifiers_answer_422_naming_the_field_in_indonesian(
    staff, db, rs, body, field, says
):
    clerk = staff("reg.a")
    ticket = called_by(clerk, db, rs.reg_jkn)
    answer = put(clerk, ticket["id"], body)
    assert answer.status_code == 422
    data = answer.get_json()
    assert data["error"] == "invalid_input" and data["field"] == field
    assert says in data["message"]
    value = str(next(iter(body.values())))
    assert value not in data["message"]
    assert db.query(PatientIdentity).count() == 0


def test_a_visit_on_no_pathway_keeps_no_identity(staff, db, app):
    from tests.counter.conftest import first_counter, issue

    clerk = staff("dukcapil1")
    issue(db, "Dukcapil")
    counter = first_counter(db, "Dukcapil")
    ticket = clerk.post(f"/counter/api/counters/{counter.id}/call-next", json={}).get_json()[
        "ticket"
    ]
    seen = get(clerk, ticket["id"]).get_json()
    assert seen["on_pathway"] is False and seen["nik"] is None
    assert put(clerk, ticket["id"], {"nik": NIK}).status_code == 409


def test_empty_values_erase_the_identity(staff, db, rs):
    clerk = staff("reg.a")
    ticket = called_by(clerk, db, rs.reg_jkn)
    assert put(clerk, ticket["id"], {"nik": NIK}).status_code == 200
    cleared = put(clerk, ticket["id"], {"nik": "", "card_number": None})
    assert cleared.status_code == 200 and cleared.get_json()["nik"] is None
    assert db.query(PatientIdentity).count() == 0
