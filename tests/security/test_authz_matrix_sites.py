"""The matrix's site dimension: nothing of site A can be read or changed from a role at site B.

Site A is the demo's MPP (agencies A and B of tests/security/conftest.py); site B is made here,
with an agency, a service, a counter, its site admin, supervisor and clerk. Every route of the
HTTP matrix that names an object of A is tried by each of B's staff: the answer is 403 or 404,
and no row of the database changed. Their Socket.IO joins of A's rooms are refused, and A's
staff sockets hear nothing of B. The installation admin acts on both sites.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from shared import queue
from shared.db import make_session_factory
from shared.models import Counter, Service, StaffUser
from shared.models.base import Base
from shared.reports.refresher import refresh_in_steps
from shared.web import socketio_of
from tests.counter.conftest import SITE_B_STAFF
from tests.security.conftest import KIOSK, PUBLIC, TABLET, agency_by_short, fill
from tests.security.test_authz_matrix_http import CASES, Case

PLACEHOLDER = re.compile(r"\{[a-z]+\}")


@pytest.fixture
def config(config):
    config.rate_limits = False  # many requests, as in the matrix
    return config


def on_objects(case: Case) -> bool:
    """A staff route that names an object (its path or body has a placeholder)."""
    named = PLACEHOLDER.search(case.target + str(case.json) + str(case.form))
    return named and case.access not in (PUBLIC, KIOSK, TABLET)


OBJECT_CASES = [case for case in CASES if on_objects(case)]


def fingerprint(db) -> dict:
    """Every row of every table (a refused request changes none)."""
    db.commit()
    return {
        table.name: sorted(map(repr, db.execute(text(f'SELECT * FROM "{table.name}"')).all()))
        for table in Base.metadata.sorted_tables
    }


@pytest.mark.parametrize("case", OBJECT_CASES, ids=str)
def test_site_b_staff_cannot_touch_site_a(case, staff, site_b, targets, db):
    clients = {username: staff(username) for username in SITE_B_STAFF}
    wrong = []
    for agency in ("A", "B"):  # both of site A's agencies
        ids = targets.ids(agency)
        path = fill(case.target, ids)
        body = {"json": fill(case.json, ids), "data": fill(case.form, ids)}
        before = fingerprint(db)
        for username, client in clients.items():
            answer = client.open(path, method=case.method, **body)
            if answer.status_code not in (403, 404):
                wrong.append(f"{username} on {agency}'s: {answer.status_code}")
        changed = [name for name, rows in fingerprint(db).items() if before[name] != rows]
        if changed:
            wrong.append(f"on {agency}'s, changed: {changed}")
    assert not wrong, f"{case}: " + "; ".join(wrong)


def test_every_object_route_is_tried():
    """Each kind of object of A: agencies, services, counters, kiosks, TVs, staff, holidays,
    slots, tickets, bookings, console actions, dashboard, reports, the site's own pages."""
    tried = " ".join(case.target for case in OBJECT_CASES)
    for placeholder in (
        "agency",
        "service",
        "counter",
        "kiosk",
        "display",
        "clerk",
        "holiday",
        "slot",
        "ticket",
        "booking",
        "mall",
    ):
        assert "{" + placeholder + "}" in tried, placeholder


def test_site_b_staff_see_only_site_b(staff, site_b, db):
    issue_at(db, agency_by_short(db, "Dukcapil").services[0])
    for username in SITE_B_STAFF:
        client = staff(username)
        services = client.get("/counter/api/services").get_json()["services"]
        assert {s["agency_id"] for s in services} == {site_b["agency"].id}, username
        pick = client.get("/counter/pick").get_data(as_text=True)
        assert "Dukcapil" not in pick and f'data-counter="{site_b["counter"].id}"' in pick, username
        report = client.get("/counter/reports/export.csv").get_data(as_text=True)
        assert "Dukcapil" not in report, username
    admin = staff("admin.b")
    dashboard = admin.get("/counter/api/dashboard").get_json()
    assert [a["short_name"] for a in dashboard["agencies"]] == ["PKM-B"]
    assert dashboard["site"]["waiting"] == 0  # A's ticket is not B's
    kiosks = {k["name"] for k in dashboard["kiosks"]}
    assert kiosks == {"Kiosk B"}
    agencies = admin.get("/counter/admin/agencies/").get_data(as_text=True)
    assert "PKM-B" in agencies and "Dukcapil" not in agencies
    staff_list = admin.get("/counter/admin/staff/").get_data(as_text=True)
    assert "clerk.b" in staff_list and "dukcapil1" not in staff_list and ">admin<" not in staff_list


def test_site_b_reports_count_only_site_b(staff, site_b, db):
    """The "mall" scope is the site worked on: A's tickets are not in B's site report."""
    issue_at(db, agency_by_short(db, "Dukcapil").services[0])
    issue_at(db, site_b["service"])
    refresh_in_steps(make_session_factory(db.get_bind()))  # the report job's round
    path = "/counter/reports/export.csv?scope=mall&lang=en"
    own = staff("admin.b").get(path).get_data(as_text=True)
    chosen = staff("admin").get(path + "&site=site-b").get_data(as_text=True)
    for report in (own, chosen):
        assert "mall,Puskesmas B" in report and issued_of(report) == 1
    first = staff("admin").get(path + "&site=" + first_site_slug(db)).get_data(as_text=True)
    assert "Puskesmas B" not in first and issued_of(first) == 1  # A's one ticket


def test_site_b_audit_shows_only_site_b_staff(staff, site_b, targets, db):
    ticket = targets.ids("A")["ticket"]
    cancel = staff("dukcapil1").post(f"/counter/api/tickets/{ticket}/cancel", json={})
    assert cancel.status_code == 200
    assert "dukcapil1" in staff("admin").get("/counter/audit").get_data(as_text=True)
    assert "dukcapil1" not in staff("admin.b").get("/counter/audit").get_data(as_text=True)


def test_the_installation_admin_acts_on_both_sites(staff, site_b, db):
    admin = staff("admin")
    counter, agency = site_b["counter"], site_b["agency"]
    clerk = db.execute(select(StaffUser).where(StaffUser.username == "clerk.b")).scalar_one()
    for path in (
        f"/counter/console/{counter.id}",
        f"/counter/api/counters/{counter.id}",
        f"/counter/api/dashboard?agency_id={agency.id}",
        f"/counter/reports/?scope=agency&id={agency.id}",
        f"/counter/admin/agencies/{agency.id}",
        f"/counter/admin/staff/{clerk.id}",
        f"/counter/admin/sites/{site_b['site'].id}",
    ):
        assert admin.get(path).status_code == 200, path
    issue_at(db, site_b["service"])
    called = admin.post(f"/counter/api/counters/{counter.id}/call-next", json={})
    assert called.status_code == 200 and called.get_json()["ticket"] is not None


def issue_at(db, service: Service):
    ticket = queue.issue_ticket(db, service.id, check_availability=False)
    db.commit()
    return ticket


def issued_of(csv: str) -> int:
    """The "Issued" figure of a report's CSV export (in English)."""
    for line in csv.splitlines():
        cells = line.split(",")
        if cells[0] == "Issued":
            return int(cells[1])
    raise AssertionError("no Issued line in " + csv[:300])


def first_site_slug(db) -> str:
    return agency_by_short(db, "Dukcapil").site.slug


# Socket.IO: B's staff never join A's rooms; A's staff never hear B's tickets.


def connect(app, db, client):
    db.commit()
    return socketio_of(app).test_client(app, namespace="/counter", flask_test_client=client)


def test_site_b_staff_cannot_join_site_a_rooms(app, db, staff, site_b, targets):
    a = targets.ids("A")
    payloads = ({"agency_id": a["agency"]}, {"counter_id": a["counter"]})
    a_service = db.get(Counter, a["counter"]).services[0]
    for username in SITE_B_STAFF:
        sio = connect(app, db, staff(username))  # commits: the handlers read the database
        for payload in payloads:
            answer = sio.emit("join", payload, namespace="/counter", callback=True)
            assert answer == {"ok": False, "error": "forbidden"}, (username, payload)
        own = sio.emit("join", {"agency_id": site_b["agency"].id}, namespace="/counter", callback=1)
        assert own["ok"] is True, username
        sio.get_received("/counter")
        issue_at(db, a_service)
        heard = sio.get_received("/counter")
        assert not [m for m in heard if m["name"] == "ticket.changed"], username
        sio.disconnect(namespace="/counter")


def test_site_a_staff_never_hear_site_b(app, db, staff, site_b, targets):
    a = targets.ids("A")
    listeners = {}
    rooms = {"dukcapil1": a["agency"], "admin": a["agency"], "clerk.b": site_b["agency"].id}
    for username, room in rooms.items():
        sio = connect(app, db, staff(username))
        assert sio.emit("join", {"agency_id": room}, namespace="/counter", callback=True)["ok"]
        sio.get_received("/counter")
        listeners[username] = sio
    issue_at(db, site_b["service"])
    called = staff("clerk.b").post(f"/counter/api/counters/{site_b['counter'].id}/call-next")
    assert called.status_code == 200 and called.get_json()["ticket"] is not None
    heard = {name: sio.get_received("/counter") for name, sio in listeners.items()}
    assert any(m["name"] == "ticket.changed" for m in heard.pop("clerk.b"))  # B's own hear it
    for username, messages in heard.items():
        assert messages == [], (username, [m["name"] for m in messages])
    for sio in listeners.values():
        sio.disconnect(namespace="/counter")
