"""Reaching the reports: a menu link, scopes chosen by name, a refusal that explains itself, and
the XLSX in the reader's language with a clerk × service sheet (rendered in Indonesian)."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from shared.models import Agency, Service, Site, StaffUser
from shared.web.database import database
from tests.reports.test_report_pages import QUERY, day  # noqa: F401 - the seeded day fixture


def names(app, model, **where):
    with database(app).session_factory() as session:
        stmt = select(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return {row.id: row.name for row in session.execute(stmt).scalars()}


def options(page: str) -> dict[str, str]:
    return dict(re.findall(r'<option value="([a-z]+(?::\d+)?)"[^>]*>([^<]+)</option>', page))


def test_every_staff_page_links_to_the_reports(client, login, day):  # noqa: F811
    for user in ("admin", "spv.dukcapil", day["k1_name"]):
        login(user)
        page = client.get("/counter/pick").get_data(as_text=True)
        assert '<a href="/counter/reports/">Laporan</a>' in page, user


def test_a_supervisor_chooses_among_their_own_agency_by_name(client, login, app, day):  # noqa: F811
    login("spv.dukcapil")
    page = client.get("/counter/reports/", query_string=QUERY).get_data(as_text=True)
    offered = options(page.split('name="target"')[1].split("</select>")[0])
    spv = next(iter(names(app, StaffUser, username="spv.dukcapil")))
    with database(app).session_factory() as session:
        own = session.get(StaffUser, spv).agency
        own_id, own_name = own.id, own.name
    assert offered[f"agency:{own_id}"] == own_name
    assert "mall" not in offered and "Seluruh MPP" not in offered.values()
    agencies = [v for v in offered if v.startswith("agency:")]
    assert agencies == [f"agency:{own_id}"]
    services = names(app, Service, agency_id=own_id)
    assert {f"service:{i}" for i in services} <= set(offered)
    assert 'name="id"' not in page  # no number to type


def test_an_admin_is_offered_the_mall_and_every_agency(client, login, app, day):  # noqa: F811
    login("admin")
    page = client.get("/counter/reports/", query_string=QUERY).get_data(as_text=True)
    offered = options(page)
    assert offered["mall"] == "Seluruh MPP"
    mpp = names(app, Site, slug="mpp-tebo")  # the site an installation admin starts on
    agencies = names(app, Agency, site_id=next(iter(mpp)))
    assert {f"agency:{i}" for i in agencies} <= set(offered)
    assert all(not key.startswith("agency:") or int(key[7:]) in agencies for key in offered)
    # Choosing by name gives the same report as the address form scope=…&id=….
    by_name = client.get(
        "/counter/reports/", query_string={**QUERY, "target": f"service:{day['s1']}"}
    )
    by_id = client.get(
        "/counter/reports/", query_string={**QUERY, "scope": "service", "id": day["s1"]}
    )
    assert by_name.status_code == 200
    table = re.compile(r'<table class="report-table" id="table-summary">.*?</table>', re.S)
    assert table.search(by_name.text).group(0) == table.search(by_id.text).group(0)
    selected = re.search(r"<option value=\"([a-z]+:\d+)\" selected>", by_name.text).group(1)
    assert selected == f"service:{day['s1']}"


def test_a_forbidden_scope_answers_a_page_in_indonesian(client, login, day):  # noqa: F811
    login("spv.dukcapil")
    answer = client.get("/counter/reports/", query_string={**QUERY, "target": "mall"})
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert "Laporan ini tidak terbuka untuk Anda" in page
    assert "Supervisor melihat laporan instansinya sendiri" in page
    assert 'href="/counter/reports/"' in page
    other = {**QUERY, "scope": "agency", "id": day["agency"]}
    assert client.get("/counter/reports/", query_string=other).status_code == 403
    export = client.get("/counter/reports/export.xlsx", query_string={**QUERY, "target": "mall"})
    assert export.status_code == 403 and export.get_json()["error"] == "report_forbidden"
    login(day["k1_name"])
    clerk = client.get(
        "/counter/reports/", query_string={**QUERY, "target": f"counter:{day['c1']}"}
    )
    assert clerk.status_code == 403 and "hanya melihat angkanya sendiri" in clerk.text


def test_the_xlsx_speaks_indonesian_has_widths_and_a_clerk_by_service_sheet(
    client,
    login,
    app,
    day,  # noqa: F811
):
    login("admin")
    scoped = {**QUERY, "target": f"agency:{day['agency']}"}
    response = client.get("/counter/reports/export.xlsx", query_string=scoped)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Tentang",
        "Tiket",
        "Waktu",
        "Standar pelayanan",
        "Per hari",
        "Kedatangan per jam",
        "Kedatangan menurut sumber",
        "Petugas × layanan",
        "Target waktu tunggu",
        "SKM per unsur",
        "SKM keseluruhan",
    ]
    about = {row[0]: row[1:] for row in book["Tentang"].iter_rows(values_only=True)}
    assert about["Periode"][0] == "Hari" and about["Cakupan"][0] == "Instansi"
    assert about["Bobot SKM"][0] == "tepat 1/9"
    sheet = book["Petugas × layanan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        "Petugas loket",
        "Layanan",
        "Dilayani",
        "Tiket dengan waktu layanan",
        "Rata-rata waktu layanan (menit)",
    )
    k1 = names(app, StaffUser, id=day["k1"])[day["k1"]]
    s1 = names(app, Service, id=day["s1"])[day["s1"]]
    # Clerk k1 at S1: T1 (10 min) and T2 (20) served, T5 (8) served then transferred.
    assert (k1, s1, 2, 3, 12.67) in rows
    assert len(rows) == 4  # title, header, k1 × S1, k2 × S2
    summary = list(book["Tiket"].iter_rows(values_only=True))
    assert summary[1] == ("Angka", "Tiket")
    for ws in book.worksheets:
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        assert widths.get("A", 0) >= 8, ws.title
    assert sheet.column_dimensions["E"].width >= len("Rata-rata waktu layanan (menit)")
