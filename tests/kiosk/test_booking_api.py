"""The public booking API and pages: list, book, read, cancel; clear 4xx for bad input."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture
def bookable(client):
    services = client.get("/kiosk/api/booking/services?site=mpp-tebo").get_json()["services"]
    service = next(s for s in services if s["code"] == "KTP")
    return service["id"], service["dates"][1]  # tomorrow-or-later: no slot has started


def test_services_and_slots(client, bookable):
    service_id, day = bookable
    slots = client.get(f"/kiosk/api/booking/slots?service_id={service_id}&date={day}").get_json()
    assert slots["date"] == day
    assert slots["slots"][0] == {
        "start": "08:00",
        "end": "08:30",
        "capacity": 5,
        "left": 5,
        "bookable": True,
    }


def test_book_read_cancel(client, bookable):
    service_id, day = bookable
    made = client.post(
        "/kiosk/api/bookings",
        json={"service_id": service_id, "date": day, "start": "09:00", "phone": "0812-3456-7890"},
    )
    assert made.status_code == 201
    code = made.get_json()["booking"]["code"]
    state = client.get(f"/kiosk/api/bookings/{code.lower()}").get_json()["booking"]
    assert (state["status"], state["start"], state["date"]) == ("booked", "09:00", day)
    assert "phone" not in state and "name" not in state
    left = client.get(f"/kiosk/api/booking/slots?service_id={service_id}&date={day}").get_json()
    assert next(s for s in left["slots"] if s["start"] == "09:00")["left"] == 4
    page = client.get(f"/kiosk/booking/{code}")
    assert page.status_code == 200 and code in page.get_data(as_text=True)
    card = client.get(f"/kiosk/booking/{code}/card.png")
    assert card.status_code == 200
    assert Image.open(io.BytesIO(card.data)).size == (720, 1000)
    cancelled = client.post(f"/kiosk/api/bookings/{code}/cancel").get_json()["booking"]
    assert cancelled["status"] == "cancelled"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"service_id": "KTP", "date": "2026-11-24", "start": "09:00"}, 422),
        ({"service_id": 99999, "date": "2026-11-24", "start": "09:00"}, 404),
        ({"service_id": None, "date": "tomorrow", "start": "09:00"}, 422),
        ("[1, 2]", 422),
        ("{not json", 422),
    ],
)
def test_bad_input_gets_a_clear_4xx(client, body, status):
    if isinstance(body, str):
        response = client.post("/kiosk/api/bookings", data=body, content_type="application/json")
    else:
        response = client.post("/kiosk/api/bookings", json=body)
    assert response.status_code == status
    assert response.get_json()["message"]


def test_unknown_slot_and_unknown_code(client, bookable):
    service_id, day = bookable
    wrong = client.post(
        "/kiosk/api/bookings", json={"service_id": service_id, "date": day, "start": "09:07"}
    )
    assert wrong.status_code == 422 and wrong.get_json()["error"] == "unknown_slot"
    missing = client.get("/kiosk/api/bookings/NOSUCH22")
    assert missing.status_code == 404
    assert missing.get_json()["message"] == "Tidak ada pemesanan dengan kode ini."
    assert client.get("/kiosk/booking/NOSUCH22").status_code == 404
