"""A hospital's site admin at an office screen (1366×768): the pathway page, a step moved up,
and the doctor page with its weekly sessions. Screenshots for the eye."""

from __future__ import annotations

import pytest

from tests.browser import require_chromium, save_screenshot
from tests.servers import running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "loket-jeruk-42"  # the factory's


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("admin-health")
    url = f"sqlite:///{folder / 'antre.db'}"
    with running_server(
        url, log_path=folder / "server.log", ANTRE_INSTANCE_PATH=str(folder / "instance")
    ) as (base, _process):
        yield base, build(url)


def build(database_url: str) -> dict:
    """A test hospital beside the demo, with its own site admin."""
    from shared.db import make_engine, make_session_factory
    from shared.models import StaffUser
    from tests.factories import Factory
    from tests.hospital import build_hospital

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        make = Factory(session)
        h = build_hospital(make)
        make.user(StaffUser.ADMIN, username="admin.rsud", site_id=h.site.id)
        session.commit()
        ids = {"pathway": h.pathway.id, "doctor": h.doctor.id}
    engine.dispose()
    return ids


def sign_in(page, base):
    page.goto(f"{base}/counter/login")
    page.fill("input[name=username]", "admin.rsud")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/counter/login" not in url)


def test_pathway_and_doctor_pages_at_1366x768(server, browser):
    from playwright.sync_api import expect

    base, ids = server
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="id-ID")
    sign_in(page, base)
    page.goto(f"{base}/counter/admin/")
    expect(page.get_by_role("link", name="Alur layanan")).to_be_visible()
    expect(page.get_by_role("link", name="Dokter")).to_be_visible()

    page.goto(f"{base}/counter/admin/pathways/{ids['pathway']}")
    names = page.locator("#steps tbody input[name$='-name']")
    expect(names).to_have_count(4)
    page.get_by_role("button", name="Naikkan 4").click()  # the cashier before pharmacy
    expect(names.nth(2)).to_have_value("Kasir")
    expect(names.nth(3)).to_have_value("Farmasi")
    page.get_by_role("button", name="Naikkan 4").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, "admin-pathway-1366x768.png")
    page.get_by_role("button", name="Simpan", exact=True).last.click()
    expect(page.locator("table.list")).to_contain_text("Pendaftaran → Poli → Kasir → Farmasi")

    page.goto(f"{base}/counter/admin/doctors/{ids['doctor']}")
    expect(page.locator("#schedules tbody tr")).to_have_count(7)
    expect(page.locator("#sessions-kept")).to_be_visible()
    page.locator("#schedules").scroll_into_view_if_needed()
    save_screenshot(page, "admin-doctor-1366x768.png")
    page.close()
