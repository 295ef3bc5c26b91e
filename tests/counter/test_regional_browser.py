"""The regional dashboard in Chromium at 1366×768: every column fits, the site in trouble is
the first row and says so in words, and the table follows the queue without a reload."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.browser import WAIT, require_chromium, save_screenshot
from tests.counter.test_browser import sign_in
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
POLL = 15_000 + WAIT  # regional.js asks every 15 s


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("regional")
    url = f"sqlite:///{folder / 'antre.db'}"
    with running_server(
        url, log_path=folder / "server.log", ANTRE_INSTANCE_PATH=str(folder / "instance")
    ) as (base, _process):
        yield base, url


def add_sites(database_url: str) -> dict:
    """A WITA hospital with two patients waiting and its room closed, and eleven calm sites."""
    from shared import queue
    from shared.db import make_engine, make_session_factory
    from shared.models import Counter
    from tests.factories import Factory

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        factory = Factory(session)
        hospital = factory.site(
            timezone="Asia/Makassar", name="RSUD Sultan Thaha Saifuddin", kind="hospital"
        )
        service = factory.service(factory.agency(site=hospital))
        room = factory.counter([service], status=Counter.CLOSED)
        for _ in range(2):
            queue.issue_ticket(session, service.id, check_availability=False)
        for n in range(11):
            kind = ("puskesmas", "mobile", "mpp")[n % 3]
            zone = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")[n % 3]
            factory.site(timezone=zone, name=f"Puskesmas Wilayah {n + 1}", kind=kind)
        session.commit()
        ids = {"slug": hospital.slug, "room": room.id}
    engine.dispose()
    return ids


def open_room(database_url: str, room_id: int) -> None:
    from shared.db import make_engine, make_session_factory
    from shared.models import Counter

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        session.execute(update(Counter).where(Counter.id == room_id).values(status="open"))
        session.commit()
    engine.dispose()


def test_the_site_in_trouble_stands_out_and_follows_the_queue(server, browser):
    from playwright.sync_api import expect

    base, database_url = server
    ids = add_sites(database_url)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "admin")
    page.goto(f"{base}/counter/regional?lang=id")
    first = page.locator("#regional-sites tr").first
    expect(first).to_have_attribute("data-site", ids["slug"])
    expect(first).to_have_class("trouble")
    expect(first.locator("td.state")).to_contain_text("Perlu perhatian")
    expect(first.locator(".reasons")).to_contain_text("tidak ada loket yang buka")
    expect(page.locator("#regional-sites tr")).to_have_count(16)  # the four demo sites too
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the table is {width} px wide at 1366×768"
    save_screenshot(page, "regional-dashboard.png")

    open_room(database_url, ids["room"])  # the room opens: the next poll calms the row
    row = page.locator(f"#regional-sites tr[data-site='{ids['slug']}']")
    expect(row).to_have_class("calm", timeout=POLL)
    expect(page.locator("#regional-status")).to_have_class("connection online")
    assert not errors, errors


def test_the_sites_comparison_fits_the_screen(server, browser):
    from playwright.sync_api import expect

    base, _ = server
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    sign_in(page, base, "admin")
    page.goto(f"{base}/counter/reports/sites?lang=id&period=month")
    expect(page.locator("#table-sites tbody tr")).to_have_count(16)  # with the four demo sites
    expect(page.locator("#table-sites thead")).to_contain_text("Dipanggil dalam 15 mnt (%)")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the comparison is {width} px wide at 1366×768"
    save_screenshot(page, "regional-compare.png")
