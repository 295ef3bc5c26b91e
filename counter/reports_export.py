"""CSV and XLSX exports holding exactly the tables shown on the page."""

from __future__ import annotations

import csv
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(report: dict, extension: str) -> str:
    period, scope = report["period"], report["scope"]
    ident = "" if scope.id is None else f"-{scope.id}"
    return f"antre-report-{scope.kind}{ident}-{period.start}-{period.end}.{extension}"


def _header(report: dict) -> list[list]:
    period, scope = report["period"], report["scope"]
    return [
        ["report", "antre"],
        ["mall", report["mall"].name],
        ["period", period.kind, period.start.isoformat(), period.end.isoformat()],
        ["scope", scope.kind, scope.id if scope.id is not None else "", report["scope_label"]],
        ["skm_weight", report["survey"].result.weighting],
    ]


def csv_response(report: dict) -> Response:
    """One CSV with a section per table: a line naming the table, its header, its rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_header(report))
    for table in report["tables"]:
        writer.writerow([])
        writer.writerow([f"# {table.key}", table.title])
        writer.writerow(table.headers)
        writer.writerows([["" if v is None else v for v in row] for row in table.rows])
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM lets Excel read the UTF-8 names
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename(report, "csv")}"'},
    )


def workbook(report: dict) -> Workbook:
    """A sheet per table (named by its key), plus an "about" sheet with period and scope."""
    book = Workbook()
    about = book.active
    about.title = "about"
    for row in _header(report):
        about.append(row)
    for table in report["tables"]:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
    return book


def xlsx_response(report: dict) -> Response:
    data = io.BytesIO()
    workbook(report).save(data)
    return Response(
        data.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename(report, "xlsx")}"'},
    )
