"""Sites compared: figures per site from the roll-ups (percentiles of known durations, the
waiting target, the standard, each site's SKM weighting), the page and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from shared import queue, skm
from shared.queue.sites import default_site
from shared.regional_reports import compare_sites, site_weighting
from shared.reports import make_period, refresh_rollups
from shared.reports.refresher import refresh_in_steps
from shared.survey import submit_survey
from shared.web.database import database
from shared.web.i18n import COOKIE
from tests.factories import Factory
from tests.i18n.catalogue import english_in, visible_text
from tests.reports.seeded_day import DAY, seed_day

WITA_0900 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
# (minutes waited, minutes at the counter) of the WITA hospital's four patients that day.
HOSPITAL = ((2, 3), (4, 5), (20, 7), (30, 9))
NOVEMBER = make_period("month", DAY)


def seed_hospital(session, factory: Factory):
    """A WITA hospital weighting SKM at the printed 0.11: four patients served one after the
    other, one all-4 survey answer, and a patient of December (outside November)."""
    site = factory.site(timezone="Asia/Makassar", name="RSUD Banding", kind="hospital")
    site.skm_weight = skm.PRINTED
    service = factory.service(factory.agency(site=site))
    counter = factory.counter([service])
    nurse = factory.user(agency=service.agency)
    start = WITA_0900
    for waited, served in HOSPITAL:
        queue.issue_ticket(session, service.id, check_availability=False, now=start)
        called = start + timedelta(minutes=waited)
        ticket = queue.call_next(session, counter, nurse, now=called)
        queue.start_ticket(session, ticket, nurse, now=called)
        finished = called + timedelta(minutes=served)
        queue.finish_ticket(session, ticket, nurse, now=finished)
        start = finished + timedelta(minutes=1)
    submit_survey(session, ticket, {f"u{n}": 4 for n in range(1, 10)}, now=start)
    queue.issue_ticket(
        session, service.id, check_availability=False, now=datetime(2026, 12, 1, 2, tzinfo=UTC)
    )
    session.flush()
    return site


@pytest.fixture
def two_sites(session, factory):
    mall = factory.mall()
    seed_day(session, factory)  # the WIB mall's day, every figure known (see its docstring)
    hospital = seed_hospital(session, factory)
    refresh_rollups(session)  # what the background job does
    return mall, hospital


def test_figures_per_site(session, two_sites):
    mall, hospital = two_sites
    figures = {f.site.id: f for f in compare_sites(session, NOVEMBER)}
    m, h = figures[mall.id], figures[hospital.id]
    assert (m.issued, m.served, m.no_show) == (7, 3, 1)
    assert (m.wait.median_minutes, m.wait.p90_minutes) == (10, 15)  # 5 5 10 11 15
    assert (m.service.median_minutes, m.service.p90_minutes) == (10, 20)  # 8 10 12 20
    assert m.within_target_share == pytest.approx(0.8)  # under 15 minutes: 4 of 5
    assert m.within_standard_share == pytest.approx(0.5)
    assert float(m.skm.skm_rounded()) == 90.51 and m.skm.weighting == skm.EXACT
    assert (h.issued, h.served, h.no_show) == (4, 4, 0)  # December's patient left out
    assert (h.wait.median_minutes, h.wait.p90_minutes) == (4, 30)
    assert (h.service.median_minutes, h.service.p90_minutes) == (5, 9)
    assert h.within_target_share == pytest.approx(0.5) and h.within_standard_share == 1.0
    assert float(h.skm.skm_rounded()) == 99.0 and h.skm.weighting == skm.PRINTED  # 4 x 9 x 0.11


def test_the_waiting_target_is_chosen(session, two_sites):
    mall, hospital = two_sites
    figures = {f.site.id: f for f in compare_sites(session, NOVEMBER, wait_target_minutes=6)}
    assert figures[mall.id].within_target_share == pytest.approx(0.4)  # 5 and 5
    assert figures[hospital.id].within_target_share == pytest.approx(0.5)  # 2 and 4


def test_a_site_without_tickets_has_empty_figures(session, two_sites, factory):
    quiet = factory.site(timezone="Asia/Jayapura", name="Puskesmas Sepi", kind="puskesmas")
    (figures,) = [f for f in compare_sites(session, NOVEMBER) if f.site.id == quiet.id]
    assert figures.issued == 0 and figures.wait.median_minutes is None
    assert figures.within_target_share is None and figures.skm.skm is None


def test_site_weighting_reads_the_sites_setting(factory):
    site = factory.site()
    for stored, used in (
        ("exact", "exact"),
        ("0.11", "0.11"),
        ("permenpan", "0.11"),
        ("?", "exact"),
    ):
        site.skm_weight = stored
        assert site_weighting(site) == used


def test_a_fixed_number_of_queries(session, two_sites, factory):
    session.commit()

    def count() -> int:
        selects = []
        engine = session.get_bind()

        def seen(_conn, _cursor, statement, *_):
            selects.extend([statement] if statement.startswith("SELECT") else [])

        event.listen(engine, "before_cursor_execute", seen)
        try:
            session.expunge_all()
            compare_sites(session, NOVEMBER)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        return len(selects)

    few = count()
    for n in range(5):
        seed_hospital(session, factory).name = f"RSUD {n}"
    refresh_rollups(session)
    session.commit()
    assert count() == few == 4  # sites, roll-up sums, histograms, survey sums


# Over HTTP: the demo mall's seeded day and the hospital, for the installation admin.


@pytest.fixture
def http_day(app):
    with database(app).session_factory() as session:
        factory = Factory(session)
        mall = factory._mall = default_site(session)
        seed_day(session, factory)
        hospital = seed_hospital(session, factory)
        factory.user("admin", username="site.admin", site_id=mall.id)
        agency = mall.agencies[0]
        factory.user("supervisor", agency=agency, username="spv.sites")
        factory.user("clerk", agency=agency, username="clerk.sites")
        session.commit()
        refresh_in_steps(database(app).session_factory)  # the background job's round
        return {"mall": mall.slug, "hospital": hospital.slug}


QUERY = {"period": "month", "start": DAY.isoformat()}


def test_the_csv_holds_every_site(client, login, http_day):
    login("admin")
    answer = client.get("/counter/reports/sites/export.csv", query_string={**QUERY, "lang": "en"})
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "antre-sites-2026-11-01-2026-11-30.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["period", "month", "2026-11-01", "2026-11-30"]
    assert rows[2] == ["wait_target_minutes", "15"]
    header = rows[4]
    by_slug = {row[0]: dict(zip(header, row, strict=True)) for row in rows[5:]}
    mall, hospital = by_slug[http_day["mall"]], by_slug[http_day["hospital"]]
    assert [mall[k] for k in ("Issued", "Served", "No-show")] == ["7", "3", "1"]
    assert [mall[k] for k in ("Waiting p50 (min)", "Waiting p90 (min)")] == ["10", "15"]
    assert [mall[k] for k in ("Service p50 (min)", "Service p90 (min)")] == ["10", "20"]
    assert mall["Called within 15 min (%)"] == "80.0" and mall["SKM"] == "90.51"
    assert mall["Served within the standard (%)"] == "50.0"
    hospital_figures = [hospital[k] for k in ("Time zone", "Waiting p90 (min)", "SKM")]
    assert hospital_figures == ["WITA", "30", "99.0"]
    assert (mall["SKM weight"], hospital["SKM weight"]) == ("1/9", "0.11")


def test_the_page_in_indonesian(client, login, http_day):
    login("admin")
    client.set_cookie(COOKIE, "id")
    page = client.get("/counter/reports/sites", query_string={**QUERY, "wait_target": 10})
    assert page.status_code == 200
    texts = visible_text(page.get_data(as_text=True))
    assert "Dipanggil dalam 10 mnt (%)" in texts and "RSUD Banding" in texts
    assert "90,51" in texts  # the mall's SKM, written the Indonesian way
    assert english_in(texts) == []


PATHS = ("/counter/reports/sites", "/counter/reports/sites/export.csv")
BAD_PERIOD = {"period": "custom", "start": "2026-11-30", "end": "2026-11-01"}


@pytest.mark.parametrize("username", ["site.admin", "spv.sites", "clerk.sites"])
def test_refused_to_everyone_but_the_installation_admin(client, login, http_day, username):
    login(username)
    for path in PATHS:
        assert client.get(path, query_string=QUERY).status_code == 403, path


def test_bad_input_is_a_422_in_the_users_language(client, login, http_day):
    login("admin")
    client.set_cookie(COOKIE, "id")
    for path in PATHS:
        assert client.get(path, query_string=BAD_PERIOD).status_code == 422
        answer = client.get(path, query_string={"wait_target": "0"})
        assert answer.status_code == 422 and "Target waktu tunggu" in answer.get_data(as_text=True)
