"""/t/<code>.json carries the visit's path (its contract in docs/openapi.yaml), and the TV's
spoken call to a consulting room names the poli by the service's id."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema
import pytest
import yaml

from shared import queue, timeutil
from shared.queue import doctors
from shared.web.database import database
from tests.factories import Factory
from tests.hospital import build_hospital
from tests.web.test_openapi import SPEC

NOW = datetime.now(UTC)
PERSONAL = ("nik", "card_number", "medical_record", "phone")


@pytest.fixture
def db(app):
    with database(app).session_factory() as session:
        yield session


def _path_schema() -> dict:
    schemas = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    return {"type": "array", "items": schemas["PathStep"]}


def _serve(session, ticket):
    counter = ticket.service.counters[0]
    called = queue.call_next(session, counter, now=NOW)
    assert called.id == ticket.id
    queue.start_ticket(session, called, now=NOW)
    queue.finish_ticket(session, called, now=NOW)
    return max(called.visit.tickets, key=lambda t: t.id)


def test_the_path_follows_the_visit_step_by_step(client, db):
    rs = build_hospital(Factory(db))
    day = timeutil.business_date(NOW, rs.site.timezone)
    row = doctors.sessions_for_day(db, rs.poli, day)[0]
    ticket = queue.issue_ticket(db, rs.poli.id, payer="umum", doctor_session_id=row.id, now=NOW)
    db.commit()
    data = client.get(f"/t/{ticket.code}.json").get_json()
    jsonschema.validate(data["path"], _path_schema())
    assert [(p["step"], p["status"]) for p in data["path"]] == [
        ("Pendaftaran", "waiting"),
        ("Poli", "planned"),
        ("Farmasi", "planned"),
        ("Kasir", "planned"),
    ]
    assert data["path"][0] == {
        "service": rs.reg_umum.name,
        "status": "waiting",
        "number": ticket.display_number,
        "step": "Pendaftaran",
    }
    at_poli = _serve(db, ticket)
    db.commit()
    data = client.get(f"/t/{ticket.code}.json").get_json()  # the first code follows the visit
    jsonschema.validate(data["path"], _path_schema())
    assert data["number"] == at_poli.display_number
    assert [(p["service"], p["status"], p["number"]) for p in data["path"][:2]] == [
        (rs.reg_umum.name, "done", ticket.display_number),
        (rs.poli.name, "waiting", at_poli.display_number),
    ]
    assert [p["status"] for p in data["path"][2:]] == ["planned", "planned"]
    assert not any(key in str(data).lower() for key in PERSONAL)


def test_a_visit_on_no_pathway_lists_its_tickets(client, db):
    factory = Factory(db)
    service = factory.service(factory.agency(site=factory.site()))
    ticket = queue.issue_ticket(db, service.id, now=NOW, check_availability=False)
    db.commit()
    data = client.get(f"/t/{ticket.code}.json").get_json()
    jsonschema.validate(data["path"], _path_schema())
    row = {"service": service.name, "status": "waiting", "number": ticket.display_number}
    assert data["path"] == [{**row, "step": None}]


def test_a_room_call_is_spoken_with_the_poli_looked_up_by_id(client, db, monkeypatch):
    from shared import voice

    factory = Factory(db)
    service = factory.service(factory.agency(site=factory.site()))
    service.name = "Poli Anak"
    db.commit()
    spoken = []
    monkeypatch.setattr(
        voice, "synthesize", lambda _path, text, lang="id": spoken.append(text) or b"RIFF"
    )
    url = "/display/api/announcement.wav?prefix=D&number=12&counter=3"
    answer = client.get(f"{url}&poli={service.id}")
    assert answer.status_code == 200 and answer.headers["X-Antre-Voice"] == "espeak"
    assert spoken == ["Nomor antrean, de, dua belas, silakan ke Poli Anak, ruang tiga."]
    for bad in ("999999", "abc", "1e3", "-1"):
        refused = client.get(f"{url}&poli={bad}")
        assert refused.status_code == 400 and refused.get_json()["error"] == "bad_phrase"
