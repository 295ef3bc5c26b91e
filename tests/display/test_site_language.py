"""A site's pages start in the site's default language; a visitor's own choice still wins."""

from __future__ import annotations

from sqlalchemy import select

from shared import queue
from shared.models import Counter, Display, Site
from shared.web.database import database
from shared.web.i18n import COOKIE


def _english_site(app) -> tuple[str, int]:
    with database(app).session_factory() as session:
        site = session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        site.default_language = "en"
        counter = session.execute(
            select(Counter).where(Counter.site_id == site.id, Counter.number == 1)
        ).scalar_one()
        ticket = queue.issue_ticket(session, counter.services[0].id)
        zone = session.execute(select(Display.id).where(Display.site_id == site.id)).first()[0]
        session.commit()
        return ticket.code, zone


def test_pages_of_an_english_site_start_in_english(client, app):
    code, zone = _english_site(app)
    for path in (f"/t/{code}", f"/display/zone/{zone}", "/kiosk/?site=mpp-tebo"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert '<html lang="en"' in page.get_data(as_text=True), path
    # Another site keeps Indonesian.
    other = client.get("/kiosk/?site=rsud-sts").get_data(as_text=True)
    assert '<html lang="id"' in other


def test_the_visitors_choice_wins_over_the_sites(client, app):
    code, _zone = _english_site(app)
    client.set_cookie(COOKIE, "id")
    assert '<html lang="id"' in client.get(f"/t/{code}").get_data(as_text=True)
    assert '<html lang="en"' in client.get(f"/t/{code}?lang=en").get_data(as_text=True)
