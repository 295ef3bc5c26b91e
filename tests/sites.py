"""A second site beside the demo MPP in an app's database, for the site isolation tests.

The demo MPP (the first site) is site A; :func:`add_site` adds site B with one agency, one
service, one open counter, a registered kiosk, a demo kiosk and a TV zone, and returns their ids
(the session is committed: with SQLite every open transaction holds the write lock).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import demo_data
from shared.models import Display, Kiosk, Service, Site
from shared.queue.sites import default_site
from shared.seed import token_hash
from tests.factories import Factory

DEMO_SLUG = demo_data.MALL["slug"]  # the demo MPP, the demo's first site


@dataclass(frozen=True)
class SiteIds:
    id: int
    slug: str
    agency: int
    service: int
    counter: int
    display: int
    kiosk: int
    token: str  # the registered kiosk's device token


def add_site(session: Session, slug: str = "rsud-uji", timezone: str = "Asia/Makassar") -> SiteIds:
    factory = Factory(session)
    site = factory.site(timezone, slug=slug, name="RSUD Uji", kind="hospital")
    agency = factory.agency("Anak", site=site)
    service = factory.service(agency)
    counter = factory.counter([service])
    token = secrets.token_urlsafe(24)
    kiosk = Kiosk(site_id=site.id, name="Kiosk RSUD", token_hash=token_hash(token))
    demo = Kiosk(site_id=site.id, name="Kiosk demo RSUD", token_hash=token_hash(token + "d"))
    demo.is_demo = True
    display = Display(site_id=site.id, name="Lobi RSUD")
    session.add_all([kiosk, demo, display])
    session.flush()
    ids = SiteIds(
        site.id, site.slug, agency.id, service.id, counter.id, display.id, kiosk.id, token
    )
    session.commit()
    return ids


def first_site(session: Session) -> tuple[int, list[int]]:
    """The demo MPP's id and its services' ids."""
    site_id = default_site(session).id
    services = session.execute(select(Service.id).where(Service.site_id == site_id)).scalars()
    found = list(services)
    session.commit()
    return site_id, found


def in_demo_mall(site_id_column):
    """A condition: the row belongs to the demo MPP. The demo installation has several sites, and
    counter numbers, display names and service codes repeat from one site to another."""
    return site_id_column == select(Site.id).where(Site.slug == DEMO_SLUG).scalar_subquery()
