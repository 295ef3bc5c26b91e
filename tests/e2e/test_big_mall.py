"""A mall the size of a hospital's polyclinics: 18 agencies and 40 services. The kiosk pages its
agencies and services with big buttons and "Halaman 1 dari 2" (no hidden scrolling), a closed
agency says why, and the TV's waiting list turns its pages by itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM
from tests.factories import Factory
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EXTRA_AGENCIES = 10  # beside the demo's 8
CLOSED = "Poli Tutup"  # an agency without an open counter
MANY = 14  # services of "Poli 1": more than one screen holds


# The TV's waiting list as shown: its page label, and each row's service with whether it is whole
# inside the list's box.
SHOWN_WAITING = """() => {
  const list = document.getElementById('waiting');
  const bottom = list.getBoundingClientRect().bottom + 1;
  return {
    label: document.getElementById('waiting-page').textContent,
    rows: Array.from(list.children).map(
      li => [li.firstChild.textContent, li.getBoundingClientRect().bottom <= bottom]),
  };
}"""


def add_agencies(db_url: str) -> None:
    from sqlalchemy import select

    from shared.db import make_engine, make_session_factory
    from shared.models import Site

    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        factory = Factory(session)
        factory._mall = session.execute(select(Site).where(Site.slug == "mpp-tebo")).scalar_one()
        prefixes = (f"X{a}{b}" for a in "ABCDEFGH" for b in "ABCDEFGHJK")  # not the demo's

        def service(agency):
            return factory.service(agency, prefix=next(prefixes))

        for n in range(1, EXTRA_AGENCIES + 1):
            agency = factory.agency(short_name=f"Poli {n}")
            agency.name = f"Poliklinik Spesialis Nomor {n} Rumah Sakit Umum Daerah"
            services = [service(agency) for _ in range(MANY if n == 1 else 2)]
            factory.counter(services)
        closed = factory.agency(short_name=CLOSED)
        closed.name = "Poliklinik yang sedang tutup"
        service(closed)  # no counter: "No counter is open for this service."
        session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory, _seeded_template_db):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    folder = tmp_path_factory.mktemp("big-mall")
    shutil.copy(_seeded_template_db, folder / "antre.db")
    db_url = f"sqlite:///{folder / 'antre.db'}"
    add_agencies(db_url)
    with running_server(db_url, log_path=folder / "server.log") as (base, _process):
        yield base


def _fits(page, selector: str) -> None:
    """Every item of the list is on the screen, above the pager: nothing hides in a scroll."""
    main = page.locator(".kiosk-main")
    assert main.evaluate("m => m.scrollHeight <= m.clientHeight"), "the screen scrolls"
    bottom = page.locator(".kiosk-nav").bounding_box()["y"]
    for box in page.locator(selector).all():
        rect = box.bounding_box()
        assert rect["y"] + rect["height"] <= bottom


def _all_pages(page, kind: str, item: str) -> tuple[list[str], int]:
    """The text of every item, page by page, with the "Berikutnya" button."""
    from playwright.sync_api import expect

    pager = page.locator(f"#{kind}-pager")
    expect(pager).to_be_visible()
    label = pager.locator(".pager-label")
    total = int(label.inner_text().rsplit(" ", 1)[1])
    assert total >= 2
    expect(pager.locator(".pager-prev")).to_be_disabled()
    seen = []
    for number in range(1, total + 1):
        expect(label).to_have_text(f"Halaman {number} dari {total}")
        _fits(page, item)
        seen += page.locator(item).all_inner_texts()
        if number < total:
            pager.locator(".pager-next").click()
    expect(pager.locator(".pager-next")).to_be_disabled()
    return seen, total


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (1920, 1080)])
def test_kiosk_pages_agencies_and_services(server, browser, width, height):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/kiosk/")
        page.locator(".tile").first.wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"big-mall-kiosk-{width}.png"))
        tiles, total = _all_pages(page, "agency", ".tile")
        assert len(tiles) == 8 + EXTRA_AGENCIES + 1  # each agency once, on some page
        assert len({t.split("\n")[1] for t in tiles}) == len(tiles)  # badge, short name, ...
        # The closed agency says why, not "0 menunggu".
        closed = next(t for t in tiles if t.split("\n")[1] == CLOSED)
        assert closed.endswith("Tutup · Belum ada loket yang buka untuk layanan ini"), closed
        assert "menunggu" not in closed
        page.screenshot(path=str(ARTIFACTS / f"big-mall-kiosk-{width}-last.png"))
        page.locator("#agency-pager .pager-prev").click()
        label = page.locator("#agency-pager .pager-label")
        expect(label).to_have_text(f"Halaman {total - 1} dari {total}")
    finally:
        page.close()


def test_kiosk_pages_a_long_service_list(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1080, "height": 1920})
    try:
        page.goto(server + "/kiosk/")
        tile = page.locator(
            ".tile", has=page.locator(".tile-short", has_text=re.compile("^Poli 1$"))
        )
        page.locator(".tile").first.wait_for()
        while not tile.count():  # on a later page
            page.locator("#agency-pager .pager-next").click()
        tile.click()
        page.locator(".service").first.wait_for()
        page.screenshot(path=str(ARTIFACTS / "big-mall-kiosk-services.png"))
        services, _total = _all_pages(page, "service", ".service-name")
        assert len(services) == len(set(services)) == MANY
        # Back from the priority question returns to the same page of services.
        label = page.locator("#service-pager .pager-label")
        last = label.inner_text()
        page.locator(".service-take").first.click()
        page.locator("#nav-back").click()
        expect(label).to_have_text(last)
        # Nobody waits here: "kurang dari 1 menit", never "± 0 menit".
        expect(page.locator(".service-meta").first).to_have_text("0 menunggu · kurang dari 1 menit")
        page.locator(".service-take").first.click()
        page.locator("[data-priority='none']").click()
        expect(page.locator("#ticket-wait-soon")).to_have_text(
            "Perkiraan waktu tunggu: kurang dari 1 menit"
        )
        expect(page.locator("#ticket-wait")).to_be_hidden()
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_tv_turns_the_pages_of_its_waiting_list(server, browser, width, height):
    """More services than the list holds: pages of what fits, turned every page_seconds."""
    import requests
    from playwright.sync_api import expect

    services = requests.get(server + "/display/api/state?zone=1", timeout=10).json()["services"]
    assert len(services) >= 29
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/display/zone/1?page_seconds=1")
        label = page.locator("#waiting-page")
        expect(label).to_have_text(re.compile(r"^Halaman 1 dari \d+$"))
        total = int(label.inner_text().rsplit(" ", 1)[1])
        assert total >= 2
        pages: dict[str, list] = {}
        while len(pages) < total:  # one reading of the whole list at a time: pages turn meanwhile
            shown = page.evaluate(SHOWN_WAITING)
            pages[shown["label"]] = shown["rows"]
            expect(label).not_to_have_text(shown["label"], timeout=10_000)
        assert sorted(pages) == sorted(f"Halaman {n} dari {total}" for n in range(1, total + 1))
        assert all(whole for rows in pages.values() for _name, whole in rows), pages
        seen = [name for rows in pages.values() for name, _whole in rows]
        assert sorted(seen) == sorted(f"{s['prefix']} · {s['name']}" for s in services)
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_tv_sound_badge_hides_nothing_and_takes_a_remotes_ok(server, browser, width, height):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(server + "/display/zone/1")
        badge = page.locator("#sound-on")
        expect(badge).to_be_visible()  # headless Chromium refuses sound without a gesture
        expect(page.locator("#tv")).to_have_attribute("data-sound", "ask")
        expect(badge).to_be_focused()
        box = badge.bounding_box()
        assert box["width"] * box["height"] < 0.05 * width * height
        main = page.locator(".tv-main").bounding_box()
        assert box["y"] + box["height"] <= main["y"]  # in the header's row, over no call
        page.screenshot(path=str(ARTIFACTS / f"big-mall-tv-{width}.png"))
        page.keyboard.press("Enter")  # the remote's OK
        expect(badge).to_be_hidden()
        expect(page.locator("#tv")).to_have_attribute("data-sound", "on")
        assert page.evaluate("localStorage.getItem('antre.sound')") == "on"
    finally:
        page.close()
