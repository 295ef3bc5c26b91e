"""The booking API for a poli with doctors: the day's sessions with places left, a booking that
takes a place in the payer's quota, cancelled to give it back, and checked in at the poli."""

from __future__ import annotations

import pytest

from shared import timeutil
from tests.factories import Factory
from tests.hospital import build_hospital


@pytest.fixture
def rs(app_session, register_kiosk):
    hospital = build_hospital(Factory(app_session), capacity=3, quota_jkn=2)
    ids = {"site": hospital.site.slug, "poli": hospital.poli.id, "prefix": hospital.poli.prefix}
    site_id = hospital.site.id
    day = timeutil.business_date(timeutil.now_utc(), hospital.site.timezone)
    app_session.commit()
    token, _ = register_kiosk(site_id=site_id)
    return ids, day.isoformat(), {"X-Kiosk-Token": token, "Accept-Language": "id"}


def _doctors(client, poli, day):
    answer = client.get(f"/kiosk/api/booking/slots?service_id={poli}&date={day}")
    assert answer.status_code == 200
    return answer.get_json()["doctors"]


def test_book_a_doctors_session_cancel_it_and_the_place_comes_back(client, rs):
    ids, day, _headers = rs
    listed = client.get(f"/kiosk/api/booking/services?site={ids['site']}").get_json()
    poli = next(s for s in listed["services"] if s["id"] == ids["poli"])
    assert day in poli["dates"]
    [doctor] = _doctors(client, ids["poli"], day)
    assert (doctor["quota_jkn_left"], doctor["quota_nonjkn_left"]) == (2, 1)

    body = {"service_id": ids["poli"], "date": day, "doctor_session_id": doctor["id"]}
    made = client.post("/kiosk/api/bookings", json={**body, "payer": "jkn"})
    assert made.status_code == 201, made.get_json()
    booked = made.get_json()["booking"]
    assert booked["doctor"] == {
        "id": doctor["id"],
        "name": doctor["name"],
        "session": "00:00–23:59",
    }
    assert booked["payer"] == "jkn" and booked["start"] == "00:00"
    assert _doctors(client, ids["poli"], day)[0]["quota_jkn_left"] == 1

    cancelled = client.post(f"/kiosk/api/bookings/{booked['code']}/cancel")
    assert cancelled.get_json()["booking"]["status"] == "cancelled"
    assert _doctors(client, ids["poli"], day)[0]["quota_jkn_left"] == 2

    missing = client.post("/kiosk/api/bookings", json=body)  # no payer: which quota?
    assert missing.status_code == 422 and missing.get_json()["field"] == "payer"
    assert client.post("/kiosk/api/bookings", json={**body, "payer": "umum"}).status_code == 201
    full = client.post(
        "/kiosk/api/bookings", json={**body, "payer": "umum"}, headers={"Accept-Language": "id"}
    )
    assert full.status_code == 409
    assert "Tidak ada tempat tersisa" in full.get_json()["message"]


def test_check_in_at_the_kiosk_joins_the_polis_session_with_one_place(client, rs):
    ids, day, headers = rs
    [doctor] = _doctors(client, ids["poli"], day)
    body = {"service_id": ids["poli"], "date": day, "doctor_session_id": doctor["id"]}
    code = client.post("/kiosk/api/bookings", json={**body, "payer": "umum"}).get_json()["booking"][
        "code"
    ]
    checked = client.post(f"/kiosk/api/bookings/{code}/check-in", json={}, headers=headers)
    assert checked.status_code == 201, checked.get_json()
    ticket = checked.get_json()["ticket"]
    assert ticket["service_id"] == ids["poli"]
    assert ticket["number"] == f"{ids['prefix']}-001"  # the first of the doctor's session
    assert ticket["planned"] is None  # already where it goes
    after = _doctors(client, ids["poli"], day)[0]
    assert (after["quota_jkn_left"], after["quota_nonjkn_left"]) == (2, 0)  # one place taken
