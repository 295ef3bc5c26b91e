"""The supervisor's dashboard in Chromium: waits against their targets, with icon and words, and
axe finding no WCAG 2.1 A/AA violation (contrast of the amber and red badges included)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.web.i18n import COOKIE
from tests.browser import WAIT, require_chromium, save_screenshot
from tests.counter.test_browser import sign_in
from tests.e2e.test_accessibility_axe import AXE, violations
from tests.servers import fold_reports, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_chromium()
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make node_modules/.stamp` (npm ci)")
    folder = tmp_path_factory.mktemp("targets")
    url = f"sqlite:///{folder / 'antre.db'}"
    with running_server(
        url, log_path=folder / "server.log", ANTRE_INSTANCE_PATH=str(folder / "instance")
    ) as (base, _process):
        yield base, url


def queue_waits(database_url: str) -> None:
    """KTP (target 15): a ticket waiting 20 minutes (red); KK (target 60): 50 minutes (amber).
    The tickets are taken now and their queueing moved back, so the day stays today's."""
    from sqlalchemy import select

    from shared import queue, timeutil
    from shared.db import make_engine, make_session_factory
    from shared.models import Service

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        now = timeutil.now_utc()
        for code, target, waited in (("KTP", 15, 20), ("KK", 60, 50)):
            service = session.execute(select(Service).where(Service.code == code)).scalar_one()
            service.wait_target_minutes = target
            ticket = queue.issue_ticket(session, service.id, check_availability=False)
            ticket.queued_at = now - timedelta(minutes=waited)
        session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def waits(server):
    queue_waits(server[1])
    return server


def test_dashboard_marks_waits_near_and_past_their_target(waits, browser):
    base, _ = waits
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    page.context.add_cookies([{"name": COOKIE, "value": "id", "url": base}])
    sign_in(page, base, "spv.dukcapil")
    red = page.wait_for_selector(".target-red", timeout=WAIT)
    amber = page.wait_for_selector(".target-amber", timeout=WAIT)
    assert "melewati target" in red.inner_text() and "✖" in red.inner_text()
    assert "mendekati target" in amber.inner_text() and "⚠" in amber.inner_text()
    assert "Menunggu melewati target" in page.inner_text("#agencies")
    assert not violations(page)  # WCAG 2.1 AA, the badges' contrast included
    save_screenshot(page, "counter-dashboard-targets.png", full_page=True)
    page.close()


def call_both(database_url: str) -> None:
    """Both waiting tickets are called now. The report reads waits from the log, where they
    were issued moments ago (only their queueing was moved back for the dashboard): both
    called within their target. The exact shares are checked in tests/shared and
    tests/reports; here the page's table in Indonesian."""
    from sqlalchemy import select

    from shared import queue
    from shared.db import make_engine, make_session_factory
    from shared.models import Counter, Service

    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        ktp = session.execute(select(Service).where(Service.code == "KTP")).scalar_one()
        counters = session.query(Counter).filter(Counter.services.contains(ktp)).all()
        # KK's ticket (waiting longer) is called first, then KTP's at a second counter.
        called = [queue.call_next(session, c) for c in counters[:2]]
        assert ktp.id in {t.service_id for t in called}
        session.commit()
    engine.dispose()


def test_report_page_lists_the_wait_against_the_target(waits, browser):
    base, database_url = waits
    call_both(database_url)
    fold_reports(database_url)  # the server's report job, a round now
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.context.add_cookies([{"name": COOKIE, "value": "id", "url": base}])
    sign_in(page, base, "admin")
    page.goto(f"{base}/counter/reports/")
    table = page.locator("#table-wait_targets")
    ktp = table.locator("tr", has_text="Perekaman").locator("td").all_inner_texts()
    kk = table.locator("tr", has_text="Kartu Keluarga").locator("td").all_inner_texts()
    assert ktp[2:6] == ["15", "1", "1", "100,00"]
    assert kk[2:6] == ["60", "1", "1", "100,00"]
    section = page.locator("section", has=table)
    section.scroll_into_view_if_needed()
    assert "Waktu tunggu terhadap target, per tahap dan hari" in section.inner_text()
    save_screenshot(page, "report-wait-targets.png", clip=section.bounding_box())
    page.close()
