"""The puskesmas variant (Antrean FKTP) called as Mobile JKN calls it: auth, a place by card
number until the quota runs out, the poli's status, the remaining queue, cancel, new peserta."""

from __future__ import annotations

import pytest

from tests.mobilejkn.conftest import PASSWORD, USERNAME


@pytest.fixture
def fktp(client, rs):
    got = client.get(
        f"/jkn/{rs['slug']}/auth", headers={"x-username": USERNAME, "x-password": PASSWORD}
    )
    assert got.status_code == 200, got.get_json()
    headers = {"x-token": got.get_json()["response"]["token"], "x-username": USERNAME}

    def call(method: str, path: str, body: dict | None = None):
        answer = client.open(f"/jkn/{rs['slug']}/{path}", method=method, json=body, headers=headers)
        data = answer.get_json()
        assert answer.status_code == data["metadata"]["code"], data
        return data

    return call


def _peserta(rs, card: str) -> dict:
    return {
        "nomorkartu": card,
        "nik": "3509014101900" + card[-3:],
        "kodepoli": rs["poli"],
        "tanggalperiksa": rs["day"],
        "keluhan": "demam",
    }


def test_a_place_by_card_number_until_the_quota_runs_out(fktp, rs):
    first = fktp("POST", "antrean", _peserta(rs, "0000000000011"))
    assert first["metadata"] == {"code": 200, "message": "Ok"}
    taken = first["response"]
    assert taken["nomorantrean"] == f"{rs['prefix']}-001" and taken["angkaantrean"] == 1
    assert taken["sisaantrean"] == 1 and taken["antreanpanggil"] == "-"
    assert fktp("POST", "antrean", _peserta(rs, "0000000000012"))["metadata"]["code"] == 200
    full = fktp("POST", "antrean", _peserta(rs, "0000000000013"))["metadata"]
    assert full == {"code": 201, "message": "Kuota JKN sudah habis"}
    no_card = fktp("POST", "antrean", _peserta(rs, "0000000000014") | {"nomorkartu": ""})
    assert no_card["metadata"]["code"] == 201

    [status] = fktp("GET", f"antrean/status/{rs['poli']}/{rs['day']}")["response"]
    assert status["totalantrean"] == 2 and status["sisaantrean"] == 2
    assert status["kodedokter"] == "1001" and status["jampraktek"] == "00:00-23:59"

    left = fktp("GET", f"antrean/sisapeserta/0000000000012/{rs['poli']}/{rs['day']}")
    assert left["response"]["nomorantrean"] == f"{rs['prefix']}-002"
    assert left["response"]["sisaantrean"] == 2
    cancel = {"nomorkartu": "0000000000012", "kodepoli": rs["poli"], "tanggalperiksa": rs["day"]}
    assert fktp("PUT", "antrean/batal", cancel | {"alasan": "sembuh"})["metadata"]["code"] == 200
    assert fktp("PUT", "antrean/batal", cancel)["metadata"] == {
        "code": 201,
        "message": "Antrean Tidak Ditemukan",
    }
    assert fktp("POST", "antrean", _peserta(rs, "0000000000013"))["metadata"]["code"] == 200


def test_peserta_registers_a_new_patient(fktp):
    body = {
        "nomorkartu": "0000000000021",
        "nik": "3509014101900021",
        "nomorkk": "3509000000000001",
        "nama": "Budi",
        "jeniskelamin": "L",
        "tanggallahir": "2001-02-03",
        "alamat": "Muara Tebo",
    }
    assert fktp("POST", "peserta", body)["metadata"] == {"code": 200, "message": "Ok"}
    assert fktp("POST", "peserta", body)["metadata"]["code"] == 201


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "antrean"), ("PUT", "antrean/batal"), ("POST", "peserta")]
)
def test_hostile_bodies_are_refused_never_500(client, fktp, rs, method, path):
    for body in (None, [], "x", {"nomorkartu": ["1"], "kodepoli": {"a": 1}}, {"tanggalperiksa": 5}):
        assert fktp(method, path, body)["metadata"]["code"] == 201
    raw = client.open(
        f"/jkn/{rs['slug']}/{path}", method=method, data=b"{oops", content_type="application/json"
    )
    assert raw.status_code == 201  # no token either


def test_hostile_paths_are_refused_never_500(fktp):
    for path in (
        "antrean/status/%00/2026-13-45",
        "antrean/status/INT/besok",
        "antrean/sisapeserta/abc/INT/2026-01-01",
        "antrean/sisapeserta/0000000000001/%3Cscript%3E/2026-01-01",
    ):
        assert fktp("GET", path)["metadata"]["code"] == 201
