"""The kiosk API over HTTP: listing, taking, idempotency, quota, hours, bad input, printing."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shared import timeutil
from shared.models import Agency, Service, Ticket
from tests.kiosk.printers import RecordingPrinter, closed_port


def service_by_code(session, code: str) -> Service:
    service = session.execute(select(Service).where(Service.code == code)).scalar_one()
    session.commit()  # end the read: SQLite's BEGIN IMMEDIATE would block the app's writes
    return service


def take(client, csrf, service_id, key="kunci-00000001", priority="none", **kw):
    body = {"service_id": service_id, "priority": priority, "idempotency_key": key}
    return client.post("/kiosk/api/tickets", json=body, headers={"X-CSRFToken": csrf}, **kw)


def test_services_list_live_figures(client, csrf, app_session):
    ktp = service_by_code(app_session, "KTP")
    take(client, csrf, ktp.id, "kunci-aaaaaaaa")
    answer = client.get("/kiosk/api/services")
    assert answer.status_code == 200
    rows = {row["code"]: row for row in answer.json["services"]}
    assert set(rows["KTP"]) >= {
        "id",
        "code",
        "name",
        "agency",
        "open",
        "closed_reason",
        "waiting",
        "eta_minutes",
        "quota_left",
    }
    assert rows["KTP"]["waiting"] == 1 and rows["KTP"]["open"] is True
    assert rows["KTP"]["agency"]["name"] == "Dinas Kependudukan dan Pencatatan Sipil"
    assert rows["PASPOR"]["quota_left"] == 60
    assert rows["KTP"]["standard"]["cost"] == "Gratis"
    assert answer.json["seqs"][f"agency:{ktp.agency_id}"] >= 1


def test_closed_services_say_why_in_indonesian_and_english(client, csrf, app_session):
    quota = service_by_code(app_session, "KK")
    quota.daily_quota = 0
    hours = service_by_code(app_session, "AKTA")
    local = timeutil.local(timeutil.now_utc(), "Asia/Jakarta")
    later = local + timedelta(hours=2)
    window = ["00:00", "00:01"] if later.date() != local.date() else [f"{later:%H}:00", "24:00"]
    hours.opening_hours = {str(local.weekday()): window}
    app_session.commit()
    rows = {r["code"]: r for r in client.get("/kiosk/api/services").json["services"]}
    assert rows["KK"]["open"] is False
    assert rows["KK"]["closed_reason"]["message"] == "Kuota hari ini habis"
    assert rows["AKTA"]["closed_reason"]["code"] == "outside_hours"
    assert rows["AKTA"]["closed_reason"]["message"].startswith("Buka pukul ")
    assert rows["AKTA"]["closed_reason"]["message"].endswith(" WIB")
    refused = take(client, csrf, quota.id)
    assert refused.status_code == 409
    assert refused.json == {"error": "quota_exhausted", "message": "Kuota hari ini habis"}
    assert take(client, csrf, hours.id, "kunci-jam-0001").json["error"] == "outside_hours"
    english = client.get("/kiosk/api/services?lang=en").json["services"]
    assert {r["code"]: r for r in english}["KK"]["closed_reason"]["message"] == (
        "Today's quota is used up."
    )


def test_take_a_ticket(client, csrf, app_session):
    ktp = service_by_code(app_session, "KTP")
    first = take(client, csrf, ktp.id, "kunci-satu-0001")
    second = take(client, csrf, ktp.id, "kunci-dua-00002", priority="lansia")
    assert (first.status_code, second.status_code) == (201, 201)
    ticket = second.json["ticket"]
    assert ticket["number"] == "A-002" and ticket["service_id"] == ktp.id
    assert ticket["status"] == "waiting"
    assert ticket["url"] == f"http://antre.test/t/{ticket['code']}"
    assert ticket["people_ahead"] == 0  # a priority ticket goes first (ratio 1:2)
    assert first.json["print"] == {
        "ok": False,
        "code": "no_printer",
        "error": "Tidak ada printer di sini: silakan foto nomor dan kode QR ini.",
    }
    svg = client.get(ticket["qr_url"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_same_key_same_ticket(client, csrf, app_session):
    ktp = service_by_code(app_session, "KTP")
    first = take(client, csrf, ktp.id, "ketuk-dua-kali-1")
    again = take(client, csrf, ktp.id, "ketuk-dua-kali-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["ticket"]["code"] == first.json["ticket"]["code"]
    other = take(client, csrf, service_by_code(app_session, "KK").id, "ketuk-dua-kali-1")
    assert other.status_code == 422 and other.json["error"] == "idempotency_key_reused"
    count = app_session.execute(select(func.count()).select_from(Ticket)).scalar_one()
    assert count == 1


def test_a_poli_on_a_pathway_answers_with_its_registration_ticket(client, csrf, app_session):
    # The RSUD's kiosk: the visit queues at registration first and keeps the poli for later.
    client.get("/kiosk/?site=rsud-sts")
    anak = service_by_code(app_session, "ANA")
    first = take(client, csrf, anak.id, "poli-anak-0001")
    assert first.status_code == 201, first.json
    assert first.json["ticket"]["number"] == "A-001"
    again = take(client, csrf, anak.id, "poli-anak-0001")
    assert again.status_code == 200
    assert again.json["ticket"]["code"] == first.json["ticket"]["code"]
    other = take(client, csrf, service_by_code(app_session, "INT").id, "poli-anak-0001")
    assert other.status_code == 422 and other.json["error"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"data": "{not json", "content_type": "application/json"}, 422, "invalid_input"),
        ({"data": "service_id=1", "content_type": "text/plain"}, 415, "unsupported_media_type"),
        ({"json": [1, 2]}, 422, "invalid_input"),
        (
            {"json": {"service_id": "1", "idempotency_key": "kunci-00000001"}},
            422,
            "invalid_input",
        ),
        (
            {"json": {"service_id": True, "idempotency_key": "kunci-00000001"}},
            422,
            "invalid_input",
        ),
        ({"json": {"service_id": 1, "idempotency_key": "pendek"}}, 422, "invalid_input"),
        ({"json": {"service_id": 1, "idempotency_key": 12345678}}, 422, "invalid_input"),
        ({"json": {"service_id": 1, "priority": 5, "idempotency_key": "kunci-0001"}}, 422, None),
        (
            {"json": {"service_id": 1, "priority": "vip", "idempotency_key": "kunci-0001"}},
            422,
            None,
        ),
        ({"json": {"service_id": 9999, "idempotency_key": "kunci-00000001"}}, 404, "not_found"),
        ({"data": "x" * 70_000, "content_type": "application/json"}, 413, None),
    ],
)
def test_bad_input_gets_a_4xx_in_the_kiosk_language(client, csrf, kwargs, status, error):
    answer = client.post("/kiosk/api/tickets", headers={"X-CSRFToken": csrf}, **kwargs)
    assert answer.status_code == status, answer.json
    assert answer.is_json and answer.json["message"]
    if error:
        assert answer.json["error"] == error
    assert client.get("/kiosk/api/services").status_code == 200


def test_messages_follow_the_language(client, csrf):
    client.get("/kiosk/?lang=en")
    answer = client.post(
        "/kiosk/api/tickets",
        headers={"X-CSRFToken": csrf},
        json={"service_id": 9999, "idempotency_key": "kunci-00000001"},
    )
    assert answer.json["message"] == "Unknown service."
    client.get("/kiosk/?lang=id")
    answer = client.post("/kiosk/api/tickets", headers={"X-CSRFToken": csrf}, json={})
    assert answer.json["message"] == "service_id wajib diisi."


def test_cookie_needs_csrf_header_token_does_not(client, register_kiosk, app_session):
    ktp = service_by_code(app_session, "KTP")
    body = {"service_id": ktp.id, "idempotency_key": "tanpa-csrf-0001"}
    assert client.post("/kiosk/api/tickets", json=body).status_code == 400  # demo, cookie-less
    token, _kiosk = register_kiosk()
    answer = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": token})
    assert answer.status_code == 201


def test_unknown_token_and_registration_link(client, register_kiosk):
    bad = client.get("/kiosk/api/services", headers={"X-Kiosk-Token": "bukan-token"})
    assert bad.status_code == 401 and bad.json["error"] == "unknown_kiosk"
    assert "tidak terdaftar" in bad.json["message"]
    assert client.get("/kiosk/?token=bukan-token").status_code == 401
    token, _kiosk = register_kiosk()
    link = client.get(f"/kiosk/?token={token}")
    assert link.status_code == 302 and link.headers["Location"].endswith("/kiosk/")
    assert "HttpOnly" in link.headers["Set-Cookie"]
    assert client.get("/kiosk/api/services").status_code == 200


def test_outside_demo_mode_a_token_is_required(app, client):
    app.config["ANTRE"].demo = False
    try:
        assert client.get("/kiosk/api/services").status_code == 401
        assert client.get("/kiosk/").status_code == 401
    finally:
        app.config["ANTRE"].demo = True


def test_kiosk_limited_to_some_agencies(client, register_kiosk, app_session):
    imigrasi = app_session.execute(
        select(Agency).where(Agency.short_name == "Imigrasi")
    ).scalar_one()
    token, _kiosk = register_kiosk(agency_ids=[imigrasi.id])
    headers = {"X-Kiosk-Token": token}
    rows = client.get("/kiosk/api/services", headers=headers).json["services"]
    assert {r["agency"]["id"] for r in rows} == {imigrasi.id}
    ktp = service_by_code(app_session, "KTP")
    body = {"service_id": ktp.id, "idempotency_key": "lantai-dua-0001"}
    assert client.post("/kiosk/api/tickets", json=body, headers=headers).status_code == 404


def test_twenty_concurrent_takes_ten_left(app, register_kiosk, app_session):
    ktp = service_by_code(app_session, "KTP")
    ktp.daily_quota = 10
    app_session.commit()
    token, _kiosk = register_kiosk()
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def one(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        answer = client.post(
            "/kiosk/api/tickets",
            json={"service_id": ktp.id, "idempotency_key": f"serbu-{index:04d}"},
            headers={"X-Kiosk-Token": token},
        )
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [201] * 10 + [409] * 10
    numbers = app_session.execute(
        select(Ticket.number).where(Ticket.service_id == ktp.id).order_by(Ticket.number)
    ).scalars()
    assert list(numbers) == list(range(1, 11))


def test_printer_faults_through_the_api(app, client, csrf, app_session, register_kiosk):
    """A dead printer: the ticket still comes back (201) in time, marked unprinted."""
    app.config["ANTRE"].printer_timeout = 1.0
    app.config["ANTRE"].printer = f"tcp://127.0.0.1:{closed_port()}"
    ktp = service_by_code(app_session, "KTP")
    started = time.monotonic()
    answer = take(client, csrf, ktp.id, "printer-mati-01")
    # Bounded (not hung on the printer); the margin is for a loaded machine, not a speed claim.
    assert time.monotonic() - started < 10
    assert answer.status_code == 201
    assert answer.json["print"] == {
        "ok": False,
        "code": "unreachable",
        "error": "Printer bermasalah: silakan foto nomor dan kode QR ini.",
    }
    app_session.expire_all()
    ticket = app_session.execute(select(Ticket)).scalar_one()
    app_session.commit()
    assert ticket.print_state == "failed"
    beat = client.post("/kiosk/api/heartbeat", headers={"X-CSRFToken": csrf})
    assert beat.json["printer"]["state"] == "offline"


def test_printed_ticket_through_the_api(app, client, csrf, app_session, register_kiosk):
    printer = RecordingPrinter()
    try:
        token, _kiosk = register_kiosk(printer_uri=printer.uri, paper_width=58)
        ktp = service_by_code(app_session, "KTP")
        answer = client.post(
            "/kiosk/api/tickets",
            json={"service_id": ktp.id, "idempotency_key": "printer-hidup-1"},
            headers={"X-Kiosk-Token": token},
        )
        printer.done.wait(2)
        assert answer.status_code == 201 and answer.json["print"]["ok"] is True
        assert answer.json["ticket"]["number"].encode() in printer.data
        assert answer.json["ticket"]["url"].encode() in printer.data
        beat = client.post("/kiosk/api/heartbeat", headers={"X-Kiosk-Token": token})
        assert beat.json["printer"] == {"state": "online", "detail": ""}
    finally:
        printer.close()


def test_a_key_belongs_to_its_kiosk(client, register_kiosk, app_session):
    """Kiosk B sending kiosk A's key gets its own ticket, never A's (issue 13, item 9)."""
    ktp = service_by_code(app_session, "KTP")
    body = {"service_id": ktp.id, "idempotency_key": "kunci-bersama-01"}
    token_a, _ = register_kiosk(name="Kiosk A")
    token_b, _ = register_kiosk(name="Kiosk B")
    first = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": token_a})
    other = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": token_b})
    again = client.post("/kiosk/api/tickets", json=body, headers={"X-Kiosk-Token": token_a})
    assert (first.status_code, other.status_code, again.status_code) == (201, 201, 200)
    assert other.json["ticket"]["code"] != first.json["ticket"]["code"]
    assert again.json["ticket"]["code"] == first.json["ticket"]["code"]


def test_a_key_belongs_to_its_browser_on_the_demo_kiosk(app, client, csrf, app_session):
    """Without a token every browser is the demo kiosk: each browser's keys are its own."""
    ktp = service_by_code(app_session, "KTP")
    neighbour = app.test_client()
    page = neighbour.get("/kiosk/")
    neighbour_csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    before = client.get_cookie("session").value
    mine = take(client, csrf, ktp.id, "kunci-demo-0001")
    theirs = take(neighbour, neighbour_csrf, ktp.id, "kunci-demo-0001")
    # The answer (and any cookie it set) lost on the way: the retry still finds the ticket.
    client.set_cookie("session", before)
    repeat = take(client, csrf, ktp.id, "kunci-demo-0001")
    assert (mine.status_code, theirs.status_code, repeat.status_code) == (201, 201, 200)
    assert theirs.json["ticket"]["code"] != mine.json["ticket"]["code"]
    assert repeat.json["ticket"]["code"] == mine.json["ticket"]["code"]
