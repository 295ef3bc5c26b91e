"""A test hospital with Mobile JKN credentials on the demo app (tests/conftest.py)."""

from __future__ import annotations

import pytest

from shared import timeutil
from shared.mobilejkn.credentials import set_credentials
from tests.factories import Factory
from tests.hospital import build_hospital

USERNAME, PASSWORD = "bpjs-rs-uji", "kata-sandi-jkn-9"


@pytest.fixture
def app_session(app):
    from shared.web.database import database

    with database(app).session_factory() as session:
        yield session


@pytest.fixture
def rs(app_session):
    """Slug, today's date, the poli's code and prefix: one doctor (1001), JKN quota 2 of 3."""
    hospital = build_hospital(Factory(app_session), capacity=3, quota_jkn=2)
    set_credentials(app_session, hospital.site, USERNAME, PASSWORD)
    day = timeutil.business_date(timeutil.now_utc(), hospital.site.timezone)
    info = {
        "slug": hospital.site.slug,
        "day": day.isoformat(),
        "poli": hospital.poli.code,
        "poli_id": hospital.poli.id,
        "prefix": hospital.poli.prefix,
    }
    app_session.commit()
    return info


@pytest.fixture
def jkn(client, rs):
    """``jkn(endpoint, body)`` as Mobile JKN calls it, with a fresh token."""
    got = client.get(
        f"/jkn/{rs['slug']}/token", headers={"x-username": USERNAME, "x-password": PASSWORD}
    )
    assert got.status_code == 200, got.get_json()
    headers = {"x-token": got.get_json()["response"]["token"], "x-username": USERNAME}

    def call(endpoint: str, body: dict | None = None):
        answer = client.post(f"/jkn/{rs['slug']}/{endpoint}", json=body or {}, headers=headers)
        data = answer.get_json()
        assert answer.status_code == data.get("metadata", {}).get("code"), data
        return data

    return call


def patient(rs: dict, card: str, **changes) -> dict:
    """An ambilantrean body in BPJS's own field names."""
    return {
        "nomorkartu": card,
        "nik": "3509014101900" + card[-3:],
        "nohp": "085635228888",
        "kodepoli": rs["poli"],
        "norm": "RM" + card[-4:],
        "tanggalperiksa": rs["day"],
        "kodedokter": 1001,
        "jampraktek": "00:00-23:59",
        "jeniskunjungan": 1,
        "nomorreferensi": "0001R0040116A000001",
        **changes,
    }
