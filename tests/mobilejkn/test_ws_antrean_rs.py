"""The web service called as Mobile JKN calls it: token, expiry, the quota running out, a new
patient, the remaining queue, cancelling and checking in (over the Flask test client)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from shared import timeutil
from shared.models import Booking, JknBooking, PatientIdentity, Ticket
from tests.mobilejkn.conftest import PASSWORD, USERNAME, patient


def test_token_needs_the_right_password_and_expires(client, rs, monkeypatch):
    url = f"/jkn/{rs['slug']}/token"
    wrong = client.get(url, headers={"x-username": USERNAME, "x-password": "salah-sekali"})
    assert wrong.status_code == 201
    assert wrong.get_json() == {
        "metadata": {"code": 201, "message": "Username atau Password Tidak Sesuai"}
    }
    got = client.post(url, headers={"x-username": USERNAME, "x-password": PASSWORD})
    assert got.get_json()["metadata"] == {"code": 200, "message": "Ok"}
    token = got.get_json()["response"]["token"]
    headers = {"x-token": token, "x-username": USERNAME}
    body = {"kodepoli": rs["poli"], "kodedokter": 1001, "tanggalperiksa": rs["day"]}
    status = f"/jkn/{rs['slug']}/statusantrean"
    assert client.post(status, json=body, headers=headers).status_code == 200

    other = {"x-token": token, "x-username": "orang-lain"}
    refused = client.post(status, json=body, headers=other).get_json()["metadata"]
    assert refused == {"code": 201, "message": "Token Tidak Valid"}
    tampered = {"x-token": token[:-2] + "xx", "x-username": USERNAME}
    assert client.post(status, json=body, headers=tampered).status_code == 201
    assert client.post(status, json=body).get_json()["metadata"]["code"] == 201

    later = timeutil.now_utc() + timedelta(seconds=3601)
    monkeypatch.setattr(timeutil, "now_utc", lambda: later)
    expired = client.post(status, json=body, headers=headers).get_json()["metadata"]
    assert expired == {"code": 201, "message": "Token Expired"}


def test_a_token_of_one_site_is_refused_at_another(client, rs):
    got = client.get(
        f"/jkn/{rs['slug']}/token", headers={"x-username": USERNAME, "x-password": PASSWORD}
    )
    headers = {"x-token": got.get_json()["response"]["token"], "x-username": USERNAME}
    answer = client.post("/jkn/rsud-sts/statusantrean", json={}, headers=headers)
    assert answer.get_json()["metadata"] == {"code": 201, "message": "Token Tidak Valid"}


def test_ambilantrean_until_the_jkn_quota_runs_out(jkn, rs):
    first = jkn("ambilantrean", patient(rs, "0000000000001"))
    assert first["metadata"] == {"code": 200, "message": "Ok"}
    taken = first["response"]
    assert taken["nomorantrean"] == f"{rs['prefix']}-001" and taken["angkaantrean"] == 1
    assert len(taken["kodebooking"]) == 8 and taken["norm"] == "RM0001"
    assert (taken["kuotajkn"], taken["sisakuotajkn"]) == (2, 1)
    assert (taken["kuotanonjkn"], taken["sisakuotanonjkn"]) == (1, 1)
    assert taken["namadokter"] == "dr. Uji, Sp.PD"
    assert isinstance(taken["estimasidilayani"], int)

    again = jkn("ambilantrean", patient(rs, "0000000000001"))["metadata"]
    assert again == {
        "code": 201,
        "message": "Nomor Antrean Hanya Dapat Diambil 1 Kali Pada Tanggal Yang Sama",
    }
    second = jkn("ambilantrean", patient(rs, "0000000000002"))["response"]
    assert second["angkaantrean"] == 2 and second["sisakuotajkn"] == 0
    full = jkn("ambilantrean", patient(rs, "0000000000003"))["metadata"]
    assert full == {"code": 201, "message": "Kuota JKN sudah habis"}

    status = jkn(
        "statusantrean",
        {"kodepoli": rs["poli"], "kodedokter": 1001, "tanggalperiksa": rs["day"]},
    )["response"]
    assert status["totalantrean"] == 2 and status["sisaantrean"] == 2
    assert status["antreanpanggil"] == "-" and status["sisakuotajkn"] == 0


def test_a_new_patient_gets_202_then_pasienbaru_then_a_place(jkn, rs):
    body = patient(rs, "0000000000777", norm="")
    assert jkn("ambilantrean", body)["metadata"]["code"] == 202
    new = {
        "nomorkartu": "0000000000777",
        "nik": "3509014101900777",
        "nomorkk": "3509000000000001",
        "nama": "Siti Aminah",
        "jeniskelamin": "P",
        "tanggallahir": "1985-03-01",
        "nohp": "085635228888",
        "alamat": "Jl. Lintas Sumatera",
        "kodeprop": "15",
        "namaprop": "Jambi",
        "kodedati2": "1509",
        "namadati2": "Tebo",
        "kodekec": "1509010",
        "namakec": "Tebo Tengah",
        "kodekel": "1509010001",
        "namakel": "Muara Tebo",
        "rw": "001",
        "rt": "002",
    }
    registered = jkn("pasienbaru", new)
    assert registered["metadata"]["code"] == 200
    norm = registered["response"]["norm"]
    assert norm.startswith("JKN")
    assert jkn("pasienbaru", new)["metadata"] == {
        "code": 201,
        "message": "Data Peserta Sudah Pernah Dientrikan",
    }
    taken = jkn("ambilantrean", body)
    assert taken["metadata"]["code"] == 200 and taken["response"]["norm"] == norm


def test_batalantrean_gives_the_place_back(jkn, rs):
    code = jkn("ambilantrean", patient(rs, "0000000000001"))["response"]["kodebooking"]
    jkn("ambilantrean", patient(rs, "0000000000002"))
    assert jkn("batalantrean", {"kodebooking": code, "keterangan": "sakit"})["metadata"] == {
        "code": 200,
        "message": "Ok",
    }
    again = jkn("batalantrean", {"kodebooking": code, "keterangan": "x"})["metadata"]
    assert again == {"code": 201, "message": "Antrean Sudah Dibatalkan Sebelumnya"}
    assert jkn("sisaantrean", {"kodebooking": code})["metadata"]["code"] == 201
    third = jkn("ambilantrean", patient(rs, "0000000000003"))
    assert third["metadata"]["code"] == 200 and third["response"]["sisakuotajkn"] == 0


def test_checkin_puts_the_ticket_in_the_poli_queue(jkn, rs, app_session):
    first = jkn("ambilantrean", patient(rs, "0000000000001"))["response"]["kodebooking"]
    code = jkn("ambilantrean", patient(rs, "0000000000002"))["response"]["kodebooking"]
    before = jkn("sisaantrean", {"kodebooking": code})["response"]
    assert before["sisaantrean"] == 2 and before["nomorantrean"] == f"{rs['prefix']}-002"
    waktu = int(timeutil.now_utc().timestamp() * 1000)
    assert jkn("checkin", {"kodebooking": code, "waktu": waktu})["metadata"]["code"] == 200
    assert jkn("checkin", {"kodebooking": code, "waktu": waktu})["metadata"] == {
        "code": 201,
        "message": "Antrean Sudah Check-in",
    }
    ticket = app_session.execute(
        select(Ticket).where(Ticket.service_id == rs["poli_id"])
    ).scalar_one()
    assert ticket.status == "waiting" and ticket.source == "booking"
    assert ticket.display_number == f"{rs['prefix']}-001"  # numbered in arrival order
    identity = app_session.get(PatientIdentity, ticket.visit_id)
    assert identity.card_number == "0000000000002" and identity.medical_record == "RM0002"
    booking = app_session.execute(select(Booking).where(Booking.code == code)).scalar_one()
    assert booking.phone is None and booking.name is None  # nohp stays with the BPJS fields
    assert app_session.get(JknBooking, booking.id).phone == "085635228888"
    number = ticket.display_number
    app_session.rollback()  # SQLite: a reading session holds the write lock until it ends

    after = jkn("sisaantrean", {"kodebooking": code})["response"]
    assert after["nomorantrean"] == number
    assert after["sisaantrean"] == 1 and after["waktutunggu"] == 0
    assert jkn("batalantrean", {"kodebooking": code})["metadata"]["code"] == 201
    assert jkn("checkin", {"kodebooking": first, "waktu": waktu})["metadata"]["code"] == 200
    later = jkn("sisaantrean", {"kodebooking": first})["response"]
    assert later["sisaantrean"] == 2 and later["waktutunggu"] > 0
    farmasi = jkn("ambilantreanfarmasi", {"kodebooking": code})["metadata"]
    assert farmasi == {"code": 201, "message": "Belum Ada Antrean Farmasi Untuk Kode Booking Ini"}


def test_operations_answer_an_empty_list(jkn, rs):
    schedule = jkn("jadwaloperasirs", {"tanggalawal": rs["day"], "tanggalakhir": rs["day"]})
    assert schedule == {"response": {"list": []}, "metadata": {"code": 200, "message": "Ok"}}
    mine = jkn("jadwaloperasipasien", {"nopeserta": "0000000000001"})
    assert mine["response"] == {"list": []}
    backwards = jkn("jadwaloperasirs", {"tanggalawal": "2026-12-09", "tanggalakhir": "2026-12-01"})
    assert backwards["metadata"]["code"] == 201


def test_the_demo_rsud_accepts_the_demo_login(client):
    got = client.get(
        "/jkn/rsud-sts/token", headers={"x-username": "mobilejkn", "x-password": "antre123"}
    )
    assert got.status_code == 200 and got.get_json()["response"]["token"]


HOSTILE = [
    None,
    [],
    [1, 2],
    "teks",
    {"kodebooking": ["A"], "nomorkartu": {"x": 1}, "nik": 1234567890123456},
    {"kodepoli": 7, "kodedokter": None, "tanggalperiksa": 20261201, "jampraktek": 8},
    {"tanggalperiksa": "2026-02-30", "jeniskunjungan": "satu", "norm": ["x"] * 3},
    {"kodebooking": "x" * 5000, "tanggalawal": "'; drop table booking; --"},
    {"nomorkartu": "0000000000009", "nik": "3509000000000009", "tanggallahir": "9999-99-99"},
]
ENDPOINTS = [
    "statusantrean",
    "ambilantrean",
    "sisaantrean",
    "batalantrean",
    "checkin",
    "pasienbaru",
    "jadwaloperasirs",
    "jadwaloperasipasien",
    "ambilantreanfarmasi",
    "statusantreanfarmasi",
]


def test_hostile_bodies_are_refused_never_500(client, jkn, rs):
    got = client.get(
        f"/jkn/{rs['slug']}/token", headers={"x-username": USERNAME, "x-password": PASSWORD}
    )
    headers = {"x-token": got.get_json()["response"]["token"], "x-username": USERNAME}
    for endpoint in ENDPOINTS:
        for body in HOSTILE:
            answer = client.post(f"/jkn/{rs['slug']}/{endpoint}", json=body, headers=headers)
            assert answer.status_code in (200, 201, 202), (endpoint, body, answer.status_code)
            assert answer.get_json()["metadata"]["code"] == answer.status_code
        raw = client.post(
            f"/jkn/{rs['slug']}/{endpoint}",
            data=b"\xff{not json",
            headers={**headers, "Content-Type": "application/json"},
        )
        assert raw.status_code == 201
    unknown = client.post("/jkn/tidak-ada/statusantrean", json={}, headers=headers)
    assert unknown.get_json()["metadata"]["message"] == "Fasilitas Kesehatan Tidak Ditemukan"


def test_token_guessing_is_rate_limited(client, rs):
    wrong = {"x-username": USERNAME, "x-password": "tebak-tebakan"}
    answers = [client.get(f"/jkn/{rs['slug']}/token", headers=wrong) for _ in range(31)]
    assert {a.status_code for a in answers[:30]} == {201}
    assert answers[30].status_code == 429
    assert answers[30].get_json()["metadata"]["code"] == 201


def test_the_poli_calling_moves_the_numbers_mobile_jkn_sees(jkn, rs, app_session):
    from shared.models import Counter, counter_service
    from shared.queue.calling import call_next

    codes = [
        jkn("ambilantrean", patient(rs, f"000000000000{i}"))["response"]["kodebooking"]
        for i in (1, 2)
    ]
    waktu = int(timeutil.now_utc().timestamp() * 1000)
    for code in codes:
        assert jkn("checkin", {"kodebooking": code, "waktu": waktu})["metadata"]["code"] == 200
    room = app_session.execute(
        select(Counter)
        .join(counter_service, counter_service.c.counter_id == Counter.id)
        .where(counter_service.c.service_id == rs["poli_id"])
    ).scalar_one()
    called = call_next(app_session, room)
    app_session.commit()
    assert called.display_number == f"{rs['prefix']}-001"
    status = jkn(
        "statusantrean",
        {"kodepoli": rs["poli"], "kodedokter": 1001, "tanggalperiksa": rs["day"]},
    )["response"]
    assert status["antreanpanggil"] == f"{rs['prefix']}-001" and status["sisaantrean"] == 1
    first = jkn("sisaantrean", {"kodebooking": codes[0]})["response"]
    second = jkn("sisaantrean", {"kodebooking": codes[1]})["response"]
    assert first["sisaantrean"] == 0 and first["waktutunggu"] == 0
    assert second["sisaantrean"] == 1 and second["antreanpanggil"] == f"{rs['prefix']}-001"
