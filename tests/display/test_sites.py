"""TVs and the public list of sites: a TV of one site hears only its site, GET /api/sites.

Site A is the demo MPP, site B a hospital added beside it (tests/sites.py).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import Counter, Display, Site, StaffUser
from shared.queue import publishing
from shared.web import socketio_of
from shared.web.database import database
from tests.sites import add_site, first_site


@pytest.fixture
def db(app):
    with database(app).session_factory() as session:
        yield session


@pytest.fixture
def site_b(db):
    return add_site(db)


def zones_of(db, site_id: int) -> list[tuple[int, str]]:
    rows = db.execute(
        select(Display.id, Display.name).where(Display.site_id == site_id).order_by(Display.id)
    ).all()
    db.commit()
    return [tuple(row) for row in rows]


def test_api_sites_lists_active_sites_and_their_zones(client, db, site_b):
    site_a, _ = first_site(db)
    closed = Site(slug="tutup", name="Puskesmas Tutup", kind="puskesmas", active=False)
    db.add(closed)
    db.commit()
    answer = client.get("/api/sites")
    assert answer.status_code == 200
    assert answer.cache_control.public and answer.cache_control.max_age == 60
    sites = {s["slug"]: s for s in answer.get_json()["sites"]}
    assert "tutup" not in sites  # an inactive site is not offered
    assert sites["rsud-uji"] == {
        "id": site_b.id,
        "slug": "rsud-uji",
        "name": "RSUD Uji",
        "kind": "hospital",
        "timezone": "Asia/Makassar",
        "zones": [{"id": site_b.display, "name": "Lobi RSUD"}],
    }
    mpp = next(s for s in sites.values() if s["id"] == site_a)
    assert [(z["id"], z["name"]) for z in mpp["zones"]] == zones_of(db, site_a)
    assert mpp["kind"] == "mpp" and len(mpp["zones"]) >= 2
    # Nothing personal and no secret: no staff name, username or kiosk token hash anywhere.
    text = answer.get_data(as_text=True)
    staff = db.execute(select(StaffUser.username, StaffUser.name)).all()
    db.commit()
    assert not any(word in text for row in staff for word in row)
    assert "token" not in text and "hash" not in text
    assert client.post("/api/sites").status_code == 405


def test_display_chooser_per_site(client, db, site_b):
    site_a, _ = first_site(db)
    both = client.get("/display/").get_data(as_text=True)  # several sites: choose one first
    assert "/display/?site=rsud-uji" in both and "RSUD Uji" in both
    theirs = client.get("/display/?site=rsud-uji").get_data(as_text=True)
    assert re.findall(r'href="/display/zone/(\d+)"', theirs) == [str(site_b.display)]
    slug = db.get(Site, site_a).slug
    db.commit()
    ours = client.get(f"/display/?site={slug}").get_data(as_text=True)
    listed = re.findall(r'href="/display/zone/(\d+)"', ours)
    assert listed == [str(zone) for zone, _name in zones_of(db, site_a)]
    unknown = client.get("/display/?site=tidak-ada", headers={"Cookie": "antre_lang=id"})
    assert unknown.status_code == 404 and "Lokasi tidak dikenal." in unknown.get_data(as_text=True)
    assert client.get("/display/?site=" + "%" * 50).status_code == 404
    state = client.get(f"/display/api/state?zone={site_b.display}").get_json()
    assert state["site"]["slug"] == "rsud-uji" and state["site"]["zone_name"] == "WITA"
    assert set(state["seqs"]) == {f"agency:{site_b.agency}", f"site:{site_b.id}"}


def _tv(app, client, zone: int):
    tv = socketio_of(app).test_client(app, namespace="/display", flask_test_client=client)
    answer = tv.emit("join", {"zone": zone}, namespace="/display", callback=True)
    assert answer["ok"], answer
    tv.get_received("/display")
    return tv, answer["rooms"]


def _calls(tv) -> list[str]:
    return [
        m["args"][0]["number"] for m in tv.get_received("/display") if m["name"] == "ticket.called"
    ]


def _call_at(db, counter_id: int) -> str:
    counter = db.get(Counter, counter_id)
    ticket = queue.issue_ticket(db, counter.services[0].id)
    queue.call_next(db, counter)
    db.commit()
    return ticket.display_number


def test_a_tv_hears_only_the_calls_of_its_site(app, client, db, site_b):
    site_a, services_a = first_site(db)
    zone_a = zones_of(db, site_a)[0][0]
    counter_a = db.execute(
        select(Counter.id).where(Counter.site_id == site_a).order_by(Counter.number)
    ).scalar()
    db.commit()
    tv_a, rooms_a = _tv(app, client, zone_a)
    tv_b, rooms_b = _tv(app, client, site_b.display)
    assert f"site:{site_a}" in rooms_a and not {f"site:{site_b.id}"} & set(rooms_a)
    assert rooms_b == [f"agency:{site_b.agency}", f"site:{site_b.id}"]

    number_b = _call_at(db, site_b.counter)
    assert _calls(tv_b) == [number_b]
    assert tv_a.get_received("/display") == []  # nothing at all of site B on site A's TV
    number_a = _call_at(db, counter_a)
    assert _calls(tv_a) == [number_a]
    assert _calls(tv_b) == []
    publishing.config_changed(db, site_b.id, "displays", [site_b.display])  # B's admin edits
    db.commit()
    assert [m["name"] for m in tv_b.get_received("/display")] == ["config.changed"]
    assert tv_a.get_received("/display") == []
    for tv in (tv_a, tv_b):
        tv.disconnect(namespace="/display")
