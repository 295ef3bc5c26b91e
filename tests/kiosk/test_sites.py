"""A kiosk belongs to one site: it lists, issues and hears only that site's queues.

Site A is the demo MPP, site B a hospital added beside it (tests/sites.py); over real HTTP and
Flask-SocketIO's test client, as the other kiosk tests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shared.models import Ticket
from shared.queue import publishing
from shared.web import socketio_of
from tests.sites import add_site, first_site


@pytest.fixture
def site_b(app_session):
    return add_site(app_session)


def kiosk_headers(token: str) -> dict:
    return {"X-Kiosk-Token": token}  # a header token needs no CSRF token


def tickets_of(session, service_id: int) -> int:
    count = session.execute(
        select(func.count()).select_from(Ticket).where(Ticket.service_id == service_id)
    ).scalar_one()
    session.commit()
    return count


def test_a_kiosk_lists_and_issues_only_its_sites_services(
    client, app_session, register_kiosk, site_b
):
    site_a, services_a = first_site(app_session)
    token_a, _ = register_kiosk()
    listed = client.get("/kiosk/api/services", headers=kiosk_headers(token_a)).get_json()
    assert {s["id"] for s in listed["services"]} == set(services_a)
    assert listed["site"]["slug"] != site_b.slug
    assert all(room in (f"site:{site_a}",) or room.startswith("agency:") for room in listed["seqs"])
    assert f"agency:{site_b.agency}" not in listed["seqs"]

    theirs = client.get("/kiosk/api/services", headers=kiosk_headers(site_b.token)).get_json()
    assert [s["id"] for s in theirs["services"]] == [site_b.service]
    assert theirs["site"] == {"slug": "rsud-uji", "name": "RSUD Uji", "timezone": "Asia/Makassar"}
    assert set(theirs["seqs"]) == {f"site:{site_b.id}", f"agency:{site_b.agency}"}

    body = {"service_id": site_b.service, "idempotency_key": "situs-lain-01"}
    refused = client.post("/kiosk/api/tickets", json=body, headers=kiosk_headers(token_a))
    assert refused.status_code == 404 and refused.get_json()["error"] == "not_found"
    assert tickets_of(app_session, site_b.service) == 0  # nothing created
    taken = client.post("/kiosk/api/tickets", json=body, headers=kiosk_headers(site_b.token))
    assert taken.status_code == 201, taken.get_json()
    assert taken.get_json()["ticket"]["site"]["slug"] == "rsud-uji"
    assert tickets_of(app_session, site_b.service) == 1


def _socket(app, client, token: str):
    socket = socketio_of(app).test_client(
        app, namespace="/kiosk", flask_test_client=client, auth={"token": token}
    )
    assert socket.is_connected("/kiosk")
    return socket


def _received(socket, name: str) -> list[dict]:
    return [m["args"][0] for m in socket.get_received("/kiosk") if m["name"] == name]


def test_a_kiosk_socket_joins_and_hears_only_its_site(
    app, client, app_session, register_kiosk, site_b
):
    site_a, services_a = first_site(app_session)
    token_a, _ = register_kiosk()
    kiosk_a, kiosk_b = _socket(app, client, token_a), _socket(app, client, site_b.token)
    rooms_a = kiosk_a.emit("join", {}, namespace="/kiosk", callback=True)["rooms"]
    rooms_b = kiosk_b.emit("join", {}, namespace="/kiosk", callback=True)["rooms"]
    assert rooms_a[0] == f"site:{site_a}" and len(rooms_a) > 1
    assert not {f"site:{site_b.id}", f"agency:{site_b.agency}"} & set(rooms_a)
    assert rooms_b == [f"site:{site_b.id}", f"agency:{site_b.agency}"]

    body = {"service_id": site_b.service, "idempotency_key": "situs-b-0001"}
    taken = client.post("/kiosk/api/tickets", json=body, headers=kiosk_headers(site_b.token))
    assert taken.status_code == 201
    publishing.config_changed(app_session, site_b.id, "service", [site_b.service])
    app_session.commit()
    heard_b = kiosk_b.get_received("/kiosk")
    assert {m["name"] for m in heard_b} == {"queue.changed", "config.changed"}
    assert [m["args"][0]["service_id"] for m in heard_b if m["name"] == "queue.changed"] == [
        site_b.service
    ]
    assert kiosk_a.get_received("/kiosk") == []  # nothing of site B reached site A's kiosk

    publishing.config_changed(app_session, site_a, "service", services_a[:1])
    app_session.commit()
    assert [c["room"] for c in _received(kiosk_a, "config.changed")] == [f"site:{site_a}"]
    assert kiosk_b.get_received("/kiosk") == []
    for socket in (kiosk_a, kiosk_b):
        socket.disconnect(namespace="/kiosk")


def test_the_demo_kiosk_of_a_named_site(app, client, app_session, site_b):
    site_a, services_a = first_site(app_session)
    first = client.get("/kiosk/api/services").get_json()  # no ?site= yet: the first site
    assert {s["id"] for s in first["services"]} == set(services_a)

    page = client.get("/kiosk/?site=rsud-uji")
    assert page.status_code == 200 and "RSUD Uji" in page.get_data(as_text=True)
    listed = client.get("/kiosk/api/services").get_json()  # the browser stays that site's kiosk
    assert [s["id"] for s in listed["services"]] == [site_b.service]
    assert listed["site"]["slug"] == "rsud-uji"
    socket = socketio_of(app).test_client(app, namespace="/kiosk", flask_test_client=client)
    joined = socket.emit("join", {}, namespace="/kiosk", callback=True)
    assert joined["rooms"] == [f"site:{site_b.id}", f"agency:{site_b.agency}"]
    socket.disconnect(namespace="/kiosk")

    unknown = client.get("/kiosk/?site=tidak-ada", headers={"Cookie": "antre_lang=id"})
    assert unknown.status_code == 404 and "Lokasi tidak dikenal." in unknown.get_data(as_text=True)
    still = client.get("/kiosk/api/services").get_json()  # an unknown slug changed nothing
    assert [s["id"] for s in still["services"]] == [site_b.service]
    assert client.get("/kiosk/?site=" + "x" * 300).status_code == 404


def test_a_site_slug_means_nothing_outside_demo_mode(app, client, site_b):
    app.config["ANTRE"].demo = False
    assert client.get("/kiosk/?site=rsud-uji").status_code == 401  # a kiosk needs its token
    listed = client.get("/kiosk/api/services", headers=kiosk_headers(site_b.token))
    assert [s["id"] for s in listed.get_json()["services"]] == [site_b.service]
