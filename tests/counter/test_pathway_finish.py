"""The clerk's side of pathways: finishing a step sends the visit on (or where the clerk chooses),
and the console asks where it may go. The test hospital: registration → poli → pharmacy → cashier.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import Counter, StaffUser, Ticket
from tests.factories import Factory
from tests.hospital import build_hospital


@pytest.fixture
def rs(db):
    make = Factory(db)
    hospital = build_hospital(make)
    for name, service in (
        ("rs.daftar", hospital.reg_umum),
        ("rs.poli", hospital.poli),
        ("rs.farmasi", hospital.racikan),
        ("rs.kasir", hospital.cashier),
    ):
        make.user(StaffUser.CLERK, service.agency, username=name)
    db.commit()
    return hospital


def _counter_of(db, service) -> Counter:
    stmt = select(Counter).where(Counter.services.contains(service))
    return db.execute(stmt).scalars().first()


def _serving(client, db, service) -> dict:
    """Call the next ticket at ``service``'s counter and start serving it."""
    counter = _counter_of(db, service)
    called = client.post(f"/counter/api/counters/{counter.id}/call-next", json={})
    assert called.status_code == 200, called.get_json()
    ticket = called.get_json()["ticket"]
    started = client.post(f"/counter/api/tickets/{ticket['id']}/start", json={})
    assert started.status_code == 200, started.get_json()
    return ticket


def _finish(client, ticket_id, body=None, status=200):
    answer = client.post(f"/counter/api/tickets/{ticket_id}/finish", json=body or {})
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def _choices(client, ticket_id, status=200):
    answer = client.get(f"/counter/api/tickets/{ticket_id}/next-steps")
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()


def _umum_at_registration(db, rs) -> Ticket:
    ticket = queue.issue_ticket(db, rs.poli.id, payer="umum", check_availability=False)
    db.commit()
    assert ticket.service_id == rs.reg_umum.id
    return ticket


def test_an_umum_visit_walks_registration_poli_pharmacy_cashier(staff, db, rs):
    _umum_at_registration(db, rs)
    registration = staff("rs.daftar")
    at_reg = _serving(registration, db, rs.reg_umum)
    choices = _choices(registration, at_reg["id"])
    assert choices["on_pathway"] and choices["step"] == "Pendaftaran"
    assert choices["default"]["service"]["id"] == rs.poli.id
    assert not choices["asks_prescription"]
    poli_step = next(s for s in choices["steps"] if s["stage"] == "poli")
    assert poli_step["where"] == "ahead"
    (doctor,) = poli_step["services"][0]["doctors"]
    assert doctor["name"] == "dr. Uji, Sp.PD" and doctor["held"] is False
    assert doctor["places_left"] == 6  # umum: 30 places, 24 of them JKN

    done = _finish(registration, at_reg["id"])  # no body: the pathway's next step
    assert done["ticket"]["status"] == "done"
    assert done["next"]["service"]["id"] == rs.poli.id and done["next"]["step"] == "Poli"
    assert done["next"]["number"] == f"{rs.poli.prefix}-001"  # the doctor session's first
    again = _finish(registration, at_reg["id"])  # a retry answers the same, makes nothing twice
    assert again["performed"] is False and again["next"] == done["next"]
    assert again["ticket"]["history"] == done["ticket"]["history"] == []

    poli = staff("rs.poli")
    at_poli = _serving(poli, db, rs.poli)
    assert at_poli["id"] == done["next"]["id"]
    choices = _choices(poli, at_poli["id"])
    assert choices["asks_prescription"]
    assert choices["defaults"]["none"]["service"]["id"] == rs.cashier.id
    assert choices["defaults"]["racikan"]["service"]["id"] == rs.racikan.id
    assert [s["where"] for s in choices["steps"]] == ["back", "here", "ahead", "ahead"]
    sent = _finish(poli, at_poli["id"], {"prescription": "racikan", "note": "puyer"})
    assert sent["next"]["service"]["id"] == rs.racikan.id

    pharmacy = staff("rs.farmasi")
    at_pharmacy = _serving(pharmacy, db, rs.racikan)
    assert _choices(pharmacy, at_pharmacy["id"])["default"]["service"]["id"] == rs.cashier.id
    to_cashier = _finish(pharmacy, at_pharmacy["id"])
    assert to_cashier["next"]["service"]["id"] == rs.cashier.id

    cashier = staff("rs.kasir")
    at_cashier = _serving(cashier, db, rs.cashier)
    assert _choices(cashier, at_cashier["id"])["default"] is None  # the visit ends here
    last = _finish(cashier, at_cashier["id"])
    assert last["next"] is None and last["ticket"]["status"] == "done"
    history = [(h["id"], h["status"]) for h in last["ticket"]["history"]]
    assert history == [(at_reg["id"], "done"), (at_poli["id"], "done"), (at_pharmacy["id"], "done")]
    # A retried finish answers the same and makes no second ticket.
    again = _finish(cashier, at_cashier["id"])
    assert again["performed"] is False and again["next"] is None
    db.expire_all()
    assert db.execute(select(Ticket)).scalars().all().__len__() == 4


def test_the_clerk_chooses_the_doctor_skips_pharmacy_sends_back_or_ends(staff, db, rs):
    _umum_at_registration(db, rs)
    registration = staff("rs.daftar")
    at_reg = _serving(registration, db, rs.reg_umum)
    poli_step = _choices(registration, at_reg["id"])["steps"][1]
    (doctor,) = poli_step["services"][0]["doctors"]
    done = _finish(registration, at_reg["id"], {"doctor_session_id": doctor["id"]})
    assert done["next"]["service"]["id"] == rs.poli.id

    poli = staff("rs.poli")
    at_poli = _serving(poli, db, rs.poli)
    held = _choices(poli, at_poli["id"])["steps"][1]["services"][0]["doctors"][0]
    assert held["held"] is True and held["places_left"] == 5
    back = _finish(poli, at_poli["id"], {"next_service_id": rs.reg_umum.id, "note": "berkas"})
    assert back["next"]["service"]["id"] == rs.reg_umum.id and back["next"]["step"] == "Pendaftaran"

    again = _serving(registration, db, rs.reg_umum)
    skipped = _finish(registration, again["id"], {"next_service_id": rs.cashier.id})
    assert skipped["next"]["service"]["id"] == rs.cashier.id

    cashier = staff("rs.kasir")
    at_cashier = _serving(cashier, db, rs.cashier)
    ended = _finish(cashier, at_cashier["id"], {"next_service_id": rs.poli.id, "end_visit": True})
    assert ended["next"] is None


def test_wrong_choices_are_clear_errors_in_indonesian(staff, db, rs, site_b):
    _umum_at_registration(db, rs)
    registration = staff("rs.daftar")
    at_reg = _serving(registration, db, rs.reg_umum)
    url = at_reg["id"]

    unknown = _finish(registration, url, {"next_service_id": 999_999}, status=404)
    assert unknown["message"] == "Layanan tidak dikenal."
    other_site = _finish(registration, url, {"next_service_id": site_b["service"].id}, 404)
    assert other_site["message"] == "Layanan tidak dikenal."
    no_session = _finish(registration, url, {"doctor_session_id": 999_999}, status=404)
    assert no_session["message"] == "Sesi dokter tidak dikenal."
    bad = _finish(registration, url, {"prescription": "jamu"}, status=422)
    assert bad["field"] == "prescription" and "racikan" in bad["message"]
    bad_type = _finish(registration, url, {"end_visit": "ya"}, status=422)
    assert bad_type["field"] == "end_visit"
    db.expire_all()
    assert db.get(Ticket, url).status == "serving"  # nothing happened


def test_a_full_doctor_session_is_a_409(staff, app, db):
    rs = build_hospital(Factory(db), capacity=1, quota_jkn=1)  # no umum place at all
    Factory(db).user(StaffUser.CLERK, rs.reg_umum.agency, username="rs.penuh")
    db.commit()
    _umum_at_registration(db, rs)
    registration = staff("rs.penuh")
    at_reg = _serving(registration, db, rs.reg_umum)
    assert _choices(registration, at_reg["id"])["default"]["service"]["id"] == rs.poli.id
    full = _finish(registration, at_reg["id"], status=409)
    assert full["error"] == "session_full"
    assert full["message"].startswith("Tidak ada tempat tersisa")


def test_other_agencies_and_sites_may_neither_look_nor_finish(staff, db, rs, site_b):
    _umum_at_registration(db, rs)
    at_reg = _serving(staff("rs.daftar"), db, rs.reg_umum)
    for outsider in ("rs.kasir", "clerk.b"):
        client = staff(outsider)
        _choices(client, at_reg["id"], status=403)
        _finish(client, at_reg["id"], status=403)
    _choices(staff("rs.daftar"), 999_999, status=404)


def test_a_ticket_on_no_pathway_has_no_choices_and_finishes_as_before(staff, db, site_b):
    ticket = queue.issue_ticket(db, site_b["service"].id, check_availability=False)
    db.commit()
    clerk = staff("clerk.b")
    served = _serving(clerk, db, site_b["service"])
    assert served["id"] == ticket.id
    choices = _choices(clerk, ticket.id)
    assert choices == {**choices, "on_pathway": False, "default": None, "steps": []}
    assert _finish(clerk, ticket.id, {"note": "ok"})["next"] is None
