"""A one-site installation keeps every address it had before sites existed.

The app runs, outside demo mode, on a database holding exactly one site (built with the factory:
the demo installation has several sites): the kiosk's registration link and page, the TV
chooser, the logos at ``/logo/mall``, the booking API without ``?site=`` and the ticket page
answer as they did.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from shared import media
from shared.models import Display, Kiosk
from shared.seed import token_hash

TOKEN = "kiosk-satu-situs-0123456789"


@pytest.fixture
def config(config, db_url):
    config.database_url = db_url  # the factory's own database: one site, nothing else
    config.demo = False  # demo mode would seed the demo's sites
    config.rate_limits = False
    return config


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def one_site(factory, session):
    site = factory.mall()
    service = factory.service(factory.agency("Dukcapil"), prefix="A")
    factory.counter([service])
    site.logo_image_id = media.store_image(session, "logo.png", io.BytesIO(_png())).id
    kiosk = Kiosk(site_id=site.id, name="Kiosk lobi", token_hash=token_hash(TOKEN))
    display = Display(site_id=site.id, name="Lobi")
    session.add_all([kiosk, display])
    session.flush()
    ids = {"site": site.id, "slug": site.slug, "service": service.id, "display": display.id}
    session.commit()  # SQLite: an open transaction would hold the write lock against the app
    return ids


def test_every_old_address_works_with_one_site(client, one_site):
    link = client.get(f"/kiosk/?token={TOKEN}")  # the registration link, opened once
    assert link.status_code == 302 and link.headers["Location"] == "/kiosk/"
    home = client.get("/kiosk/")  # the kiosk's address, no ?site=
    assert home.status_code == 200 and "MPP Uji" in home.get_data(as_text=True)
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)
    services = client.get("/kiosk/api/services").get_json()
    assert [s["id"] for s in services["services"]] == [one_site["service"]]
    taken = client.post(
        "/kiosk/api/tickets",
        json={"service_id": one_site["service"], "idempotency_key": "satu-situs-1"},
        headers={"X-CSRFToken": csrf},
    )
    assert taken.status_code == 201, taken.get_json()
    code = taken.get_json()["ticket"]["code"]

    chooser = client.get("/display/")  # straight to the zones: there is no site to choose
    page = chooser.get_data(as_text=True)
    assert re.findall(r'href="/display/zone/(\d+)"', page) == [str(one_site["display"])]
    assert "?site=" not in page
    assert client.get(f"/display/zone/{one_site['display']}").status_code == 200

    logos = [client.get(path) for path in ("/display/logo/mall", "/kiosk/logo/mall")]
    assert [(r.status_code, r.mimetype) for r in logos] == [(200, "image/png")] * 2
    assert logos[0].data == logos[1].data == _png()
    site_logo = client.get(f"/display/logo/site/{one_site['site']}")
    assert site_logo.data == logos[0].data

    booking = client.get("/kiosk/api/booking/services")  # no ?site=: the only site
    assert booking.status_code == 200
    assert booking.get_json()["site"]["slug"] == one_site["slug"]
    assert client.get("/kiosk/booking/").status_code == 200

    ticket = client.get(f"/t/{code}")
    assert ticket.status_code == 200 and taken.get_json()["ticket"]["number"] in ticket.text
    data = client.get(f"/t/{code}.json").get_json()
    assert data["site"] == {"slug": one_site["slug"], "name": "MPP Uji", "timezone": "Asia/Jakarta"}
    assert [s["slug"] for s in client.get("/api/sites").get_json()["sites"]] == [one_site["slug"]]
