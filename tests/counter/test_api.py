"""Every console action through the JSON API, as the demo clerk dukcapil1 at counter 1."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.models import Agency, AuditLog, Counter, Service, Ticket
from tests.counter.conftest import agency_by_short, first_counter, issue


@pytest.fixture
def clerk(staff):
    return staff("dukcapil1")


@pytest.fixture
def counter(db):
    return first_counter(db, "Dukcapil")


def _post(client, path, body=None):
    return client.post(f"/counter/api/{path}", json=body or {})


def _called(clerk, counter, db):
    issue(db, "Dukcapil")
    answer = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "r1"})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["ticket"]


def test_call_next_retry_with_the_same_request_id_calls_one_ticket(clerk, counter, db):
    for _ in range(2):
        issue(db, "Dukcapil")
    first = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "same"}).get_json()
    again = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "same"}).get_json()
    assert first["ticket"]["id"] == again["ticket"]["id"]
    db.expire_all()
    assert db.query(Ticket).filter_by(status="called").count() == 1


def test_call_next_with_nobody_waiting_answers_null(clerk, counter):
    answer = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "x"})
    assert answer.status_code == 200 and answer.get_json()["ticket"] is None


def test_second_call_while_busy_is_a_409_in_indonesian(clerk, counter, db):
    busy = _called(clerk, counter, db)
    issue(db, "Dukcapil")
    answer = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "other"})
    assert answer.status_code == 409
    assert answer.get_json()["error"] == "counter_busy"
    assert f"masih menangani tiket {busy['number']}" in answer.get_json()["message"]


def test_recall_start_finish_with_note_and_retry(clerk, counter, db):
    ticket = _called(clerk, counter, db)
    recalled = _post(clerk, f"tickets/{ticket['id']}/recall", {"recall_count": 0}).get_json()
    assert recalled["ticket"]["recall_count"] == 1 and recalled["performed"]
    retry = _post(clerk, f"tickets/{ticket['id']}/recall", {"recall_count": 0}).get_json()
    assert retry["ticket"]["recall_count"] == 1 and not retry["performed"]
    assert _post(clerk, f"tickets/{ticket['id']}/start").get_json()["ticket"]["status"] == "serving"
    done = _post(clerk, f"tickets/{ticket['id']}/finish", {"note": "KTP jadi"})
    assert done.status_code == 200 and done.get_json()["ticket"]["note"] == "KTP jadi"
    again = _post(clerk, f"tickets/{ticket['id']}/finish", {"note": "KTP jadi"})
    assert again.status_code == 200 and again.get_json()["performed"] is False
    snapshot = clerk.get(f"/counter/api/counters/{counter.id}").get_json()
    assert [t["id"] for t in snapshot["served"]] == [ticket["id"]]


def test_no_show_needs_the_recalls_then_can_be_reactivated(clerk, counter, db):
    ticket = _called(clerk, counter, db)
    refused = _post(clerk, f"tickets/{ticket['id']}/no-show")
    assert refused.status_code == 409 and refused.get_json()["error"] == "recalls_required"
    for seen in range(2):
        assert (
            _post(clerk, f"tickets/{ticket['id']}/recall", {"recall_count": seen}).status_code
            == 200
        )
    limit = _post(clerk, f"tickets/{ticket['id']}/recall", {"recall_count": 2})
    assert limit.status_code == 409 and limit.get_json()["error"] == "recall_limit"
    skipped = _post(clerk, f"tickets/{ticket['id']}/no-show").get_json()
    assert skipped["ticket"]["status"] == "no_show"
    back = _post(clerk, f"tickets/{ticket['id']}/reactivate").get_json()
    assert back["ticket"]["status"] == "waiting"


def test_a_finish_shows_the_visits_earlier_steps_but_not_itself(clerk, counter, db):
    first = _called(clerk, counter, db)
    _post(clerk, f"tickets/{first['id']}/start")
    other = next(s for s in counter.services if s.id != first["service"]["id"])
    moved = _post(clerk, f"tickets/{first['id']}/transfer", {"service_id": other.id, "note": ""})
    assert moved.status_code == 200, moved.get_json()
    called = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "r2"}).get_json()
    assert called["ticket"]["id"] == moved.get_json()["ticket"]["id"]
    _post(clerk, f"tickets/{called['ticket']['id']}/start")
    finished = _post(clerk, f"tickets/{called['ticket']['id']}/finish").get_json()
    earlier = {
        "id": first["id"],
        "number": first["number"],
        "service": first["service"]["name"],
        "agency": first["agency"]["short_name"],
        "status": "transferred",
        "note": "",
    }
    # Read alone at the call, from the visit's tickets at the finish: the same entries.
    assert called["ticket"]["history"] == finished["ticket"]["history"] == [earlier]
    assert finished["next"] is None


def test_transfer_to_another_agency_keeps_the_visit_and_is_audited(clerk, counter, db):
    ticket = _called(clerk, counter, db)
    _post(clerk, f"tickets/{ticket['id']}/start")
    bpjs = agency_by_short(db, "BPJS Kes")
    target = bpjs.services[0]
    body = {"service_id": target.id, "note": "Daftar BPJS"}
    moved = _post(clerk, f"tickets/{ticket['id']}/transfer", body)
    assert moved.status_code == 200, moved.get_json()
    new = moved.get_json()["ticket"]
    assert new["visit_id"] == ticket["visit_id"] and new["service"]["id"] == target.id
    assert new["history"][0]["number"] == ticket["number"]
    retry = _post(clerk, f"tickets/{ticket['id']}/transfer", body).get_json()
    assert retry["ticket"]["id"] == new["id"] and retry["performed"] is False
    audit = db.execute(select(AuditLog).where(AuditLog.action == "ticket.transfer")).scalars()
    assert len(list(audit)) == 1


def test_call_a_specific_ticket_is_audited(clerk, counter, db):
    issue(db, "Dukcapil")
    later = issue(db, "Dukcapil")
    answer = _post(clerk, f"tickets/{later.id}/call", {"counter_id": counter.id})
    assert answer.status_code == 200 and answer.get_json()["ticket"]["id"] == later.id
    assert db.execute(select(AuditLog).where(AuditLog.action == "ticket.call_specific")).first()


def test_cancel_a_waiting_ticket(clerk, db):
    ticket = issue(db, "Dukcapil")
    answer = _post(clerk, f"tickets/{ticket.id}/cancel", {"note": "double"})
    assert answer.get_json()["ticket"]["status"] == "cancelled"


def test_pause_needs_a_reason_then_close_and_open(clerk, counter):
    path = f"counters/{counter.id}/status"
    missing = _post(clerk, path, {"status": "paused"})
    assert missing.status_code == 422 and missing.get_json()["error"] == "reason_required"
    paused = _post(clerk, path, {"status": "paused", "reason": "Salat"}).get_json()
    assert paused["counter"]["status"] == "paused" and paused["counter"]["pause_reason"] == "Salat"
    assert _post(clerk, path, {"status": "closed"}).get_json()["counter"]["status"] == "closed"
    refused = _post(clerk, f"counters/{counter.id}/call-next", {"request_id": "z"})
    assert refused.status_code == 409
    opened = _post(clerk, path, {"status": "open"}).get_json()
    assert opened["counter"]["status"] == "open" and opened["counter"]["clerk"]


def test_bad_input_is_4xx_never_500(clerk, counter, db):
    ticket = issue(db, "Dukcapil")
    assert _post(clerk, f"tickets/{ticket.id}/fly").status_code == 404
    assert _post(clerk, f"tickets/{ticket.id}/call", {"counter_id": "x"}).status_code == 422
    assert _post(clerk, f"counters/{counter.id}/status", {"status": "gone"}).status_code == 409
    bad = clerk.post(
        f"/counter/api/counters/{counter.id}/call-next",
        data="[1]",
        content_type="application/json",
    )
    assert (bad.status_code, bad.get_json()["error"]) == (422, "invalid_input")
    assert _post(clerk, "tickets/999999/start").status_code == 404


def test_without_csrf_token_a_post_is_refused(staff, counter):
    client = staff("dukcapil1", with_csrf=False)
    answer = client.post(f"/counter/api/counters/{counter.id}/call-next", json={})
    assert answer.status_code == 400
    assert "error" in answer.get_json()


def test_services_for_transfer_span_every_agency(clerk, db):
    rows = clerk.get("/counter/api/services").get_json()["services"]
    site_id = db.get(Agency, rows[0]["agency_id"]).site_id  # the clerk's site, and only it
    active = db.query(Service).filter_by(active=True, site_id=site_id).count()
    assert len(rows) == active and len({r["agency_id"] for r in rows}) > 1


def test_console_page_names_its_counter_and_shortcuts(clerk, counter):
    page = clerk.get(f"/counter/console/{counter.id}").get_data(as_text=True)
    assert f'data-counter="{counter.id}"' in page
    assert "Panggil berikutnya" in page and "<kbd>F1/Space</kbd>" in page
    assert "<script>" not in page  # strict CSP: no inline scripts


def test_picking_a_counter_is_remembered(clerk, counter, db):
    other = db.execute(select(Counter).where(Counter.agency_id != counter.agency_id)).scalar()
    assert clerk.post("/counter/pick", data={"counter_id": other.id}).status_code == 403
    chosen = clerk.post("/counter/pick", data={"counter_id": counter.id})
    assert chosen.headers["Location"].endswith(f"/counter/console/{counter.id}")
    again = clerk.get("/counter/pick")
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/counter/console/{counter.id}"
    )
