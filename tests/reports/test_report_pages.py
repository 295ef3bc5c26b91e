"""The report pages over HTTP: access per role, figures on the page, CSV and XLSX exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from shared.models import StaffUser
from shared.queue.sites import default_site
from shared.reports.refresher import refresh_in_steps
from shared.web.database import database
from tests.factories import Factory
from tests.reports.seeded_day import DAY, seed_day

QUERY = {"period": "day", "start": DAY.isoformat()}


@pytest.fixture
def day(app):
    with database(app).session_factory() as session:
        factory = Factory(session)
        factory._mall = default_site(session)  # the demo mall is there already
        seeded = seed_day(session, factory)
        ids = {
            "agency": seeded.s1.agency_id,
            "s1": seeded.s1.id,
            "c1": seeded.c1.id,
            "k1": seeded.k1.id,
            "k1_name": seeded.k1.username,
        }
        session.commit()
    refresh_in_steps(database(app).session_factory)  # the background job's round
    return ids


def user_id(app, username):
    with database(app).session_factory() as session:
        return session.execute(
            select(StaffUser.id).where(StaffUser.username == username)
        ).scalar_one()


def test_signed_out_is_refused(client):
    assert client.get("/counter/reports/").status_code in (401, 302)


def test_admin_sees_the_mall_figures(client, login, day):
    login("admin")
    page = client.get("/counter/reports/", query_string={**QUERY, "lang": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<svg class="chart' in html and "<table" in html
    assert "90.51" in html  # SKM of the seeded day
    assert "1/9 exactly" in html


def test_supervisor_only_their_agency(client, login, day):
    login("spv.dukcapil")
    assert client.get("/counter/reports/", query_string=QUERY).status_code == 200
    scoped = {**QUERY, "scope": "agency", "id": day["agency"]}
    assert client.get("/counter/reports/", query_string=scoped).status_code == 403
    assert (
        client.get("/counter/reports/", query_string={**QUERY, "scope": "mall"}).status_code == 403
    )


def test_clerk_only_their_own_figures(client, login, day):
    login(day["k1_name"])
    own = {**QUERY, "scope": "clerk", "id": day["k1"]}
    assert client.get("/counter/reports/", query_string=own).status_code == 200
    other = {**QUERY, "scope": "counter", "id": day["c1"]}
    assert client.get("/counter/reports/", query_string=other).status_code == 403


def test_bad_period_is_a_4xx(client, login, day):
    login("admin")
    bad = {"period": "custom", "start": "2026-11-30", "end": "2026-11-01"}
    assert client.get("/counter/reports/", query_string=bad).status_code == 422
    assert client.get("/counter/reports/", query_string={"start": "nope"}).status_code == 422


def test_csv_holds_the_figures(client, login, day):
    login("admin")
    response = client.get("/counter/reports/export.csv", query_string={**QUERY, "lang": "en"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Issued", "7"] in rows and ["Served", "3"] in rows
    assert ["Waiting", "5", "9.2", "10", "15"] in rows
    assert ["SKM value (IKM x 25)", "90.51"] in rows


def test_xlsx_opens_and_holds_the_same_numbers(client, login, day):
    login("admin")
    scoped = {**QUERY, "scope": "service", "id": day["s1"], "lang": "en"}
    response = client.get("/counter/reports/export.xlsx", query_string=scoped)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))  # sheets named in English (lang=en)
    summary = {row[0]: row[1] for row in book["Tickets"].iter_rows(min_row=3, values_only=True)}
    assert summary["Issued"] == 5 and summary["Served"] == 2 and summary["No-show"] == 1
    times = list(book["Times"].iter_rows(min_row=3, values_only=True))
    assert times[0] == ("Waiting", 4, 8.75, 5, 15)
    assert times[1] == ("Service", 3, 12.67, 10, 20)
    assert list(book["Service standard"].iter_rows(min_row=3, values_only=True))[0] == (2, 3, 66.67)
    overall = {r[0]: r[1] for r in book["SKM overall"].iter_rows(min_row=3, values_only=True)}
    assert overall["Respondents"] == 3  # T1, T2, T5 were S1 tickets
    about = {r[0]: r[1:] for r in book["About"].iter_rows(values_only=True)}
    assert about["SKM weight"][0] == "1/9 exactly" and about["Scope"][0] == "Service"


def test_printable_monthly_skm_report(client, login, day):
    login("admin")
    page = client.get("/counter/reports/skm/print", query_string={"start": DAY.isoformat()})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Minggu, 1 November 2026" in html and "Senin, 30 November 2026" in html
    assert "90,51" in html  # Indonesian decimal comma on the default locale
