"""Waiting targets on the report page (in Indonesian), in its CSV and XLSX, and on the live
dashboard's JSON."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from shared import queue, timeutil
from shared.models import Service
from shared.queue.sites import default_site
from shared.reports.refresher import refresh_in_steps
from shared.web.database import database
from tests.factories import Factory
from tests.reports.seeded_day import DAY, seed_day

QUERY = {"period": "day", "start": DAY.isoformat()}
# S1's waits that day are 5, 10, 15 and 5 minutes (tests/reports/seeded_day.py): with a
# 10-minute target, two are within it (50 %), and the mean wait is 8.75 minutes.


@pytest.fixture
def day(app):
    with database(app).session_factory() as session:
        factory = Factory(session)
        factory._mall = default_site(session)
        seeded = seed_day(session, factory)
        seeded.s1.wait_target_minutes = 10
        ids = {"s1": seeded.s1.id, "s1_name": seeded.s1.name}
        session.commit()
    refresh_in_steps(database(app).session_factory)  # the background job's round
    return ids


def test_the_report_page_shows_the_share_within_target_per_step_and_day(client, login, day):
    login("admin")
    page = client.get("/counter/reports/", query_string={**QUERY, "lang": "id"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Waktu tunggu terhadap target, per tahap dan hari" in html
    assert "Persentase sesuai target (%)" in html
    table = html.split('id="table-wait_targets"', 1)[1].split("</table>", 1)[0]
    row = table.split(day["s1_name"], 1)[1].split("</tr>", 1)[0]
    assert "<td>10</td><td>4</td><td>2</td><td>50,00</td><td>8,75</td>" in row


def test_csv_and_xlsx_hold_the_same_rows(client, login, day):
    login("admin")
    answer = client.get("/counter/reports/export.csv", query_string={**QUERY, "lang": "id"})
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    start = rows.index(["# wait_targets", "Waktu tunggu terhadap target, per tahap dan hari"])
    assert rows[start + 1][0:3] == ["Tanggal", "Tahap", "Layanan"]
    expected = ["2026-11-23", "", day["s1_name"], "10", "4", "2", "50.0", "8.75"]
    assert expected in rows[start + 2 :]

    scoped = {**QUERY, "scope": "service", "id": day["s1"], "lang": "id"}
    book = load_workbook(
        io.BytesIO(client.get("/counter/reports/export.xlsx", query_string=scoped).data)
    )
    (row,) = book["Target waktu tunggu"].iter_rows(min_row=3, values_only=True)
    assert row == ("2026-11-23", None, day["s1_name"], 10, 4, 2, 50.0, 8.75)


NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB


def test_dashboard_json_gives_each_service_its_state_against_the_target(
    client, login, app, monkeypatch
):
    with database(app).session_factory() as session:
        services = session.execute(select(Service).where(Service.active).order_by(Service.id))
        service = next(
            s for s in services.scalars() if s.agency.site_id == default_site(session).id
        )
        service.wait_target_minutes = 30
        for minutes_ago in (31, 25):
            at = NOW - timedelta(minutes=minutes_ago)
            queue.issue_ticket(session, service.id, check_availability=False, now=at)
        agency_id, service_id = service.agency_id, service.id
        session.commit()
    monkeypatch.setattr(timeutil, "now_utc", lambda: NOW)
    login("admin")
    data = client.get("/counter/api/dashboard", query_string={"agency_id": agency_id}).get_json()
    (row,) = [s for s in data["agencies"][0]["services"] if s["id"] == service_id]
    assert (row["waiting"], row["longest_wait_minutes"]) == (2, 31)
    assert (row["wait_target_minutes"], row["wait_state"], row["past_target"]) == (30, "red", 1)
    assert data["agencies"][0]["totals"]["past_target"] == 1
    assert data["site"]["past_target"] == 1


def test_dashboard_page_carries_the_target_words_in_indonesian(client, login):
    login("admin")
    html = client.get("/counter/dashboard", query_string={"lang": "id"}).get_data(as_text=True)
    for words in ("Target waktu tunggu (menit)", "melewati target", "mendekati target"):
        assert words in html
