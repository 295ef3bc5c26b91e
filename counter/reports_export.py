"""CSV and XLSX exports holding exactly the tables shown on the page."""

from __future__ import annotations

import csv
import io
import re

from flask import Response
from flask_babel import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from counter.reports_tables import PERIOD_NAMES, SCOPE_NAMES
from shared.queue.errors import N_

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


# Sheet names (Excel allows 31 characters, without []:*?/\\), in the reader's language.
SHEETS = {
    "summary": N_("Tickets"),
    "times": N_("Times"),
    "standard": N_("Service standard"),
    "per_day": N_("Per day"),
    "heatmap": N_("Arrivals by hour"),
    "sources": N_("Arrivals by source"),
    "clerk_service": N_("Clerk × service"),
    "wait_targets": N_("Waiting targets"),
    "skm_elements": N_("SKM per element"),
    "skm_overall": N_("SKM overall"),
}
UNSAFE = re.compile(r"[\[\]:*?/\\]")


def sheet_name(key: str) -> str:
    return UNSAFE.sub("-", gettext(SHEETS.get(key, key)))[:31]


def _about(report: dict) -> list[list]:
    """Period and scope, in words."""
    period, scope = report["period"], report["scope"]
    return [
        [gettext("Report"), "Antre"],
        [gettext("Site"), report["mall"].name],
        [gettext("Period"), gettext(PERIOD_NAMES[period.kind]), period.start, period.end],
        [gettext("Scope"), gettext(SCOPE_NAMES[scope.kind]), report["scope_label"]],
        [gettext("SKM weight"), report["weighting_text"]],
    ]


def _fit_columns(sheet) -> None:
    """Each column as wide as its longest value (within reason): Excel does not do it itself."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=2):  # the title in A1 may overflow to the right
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), len(str(cell.value)))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))


def workbook(report: dict) -> Workbook:
    """A sheet per table, named in the reader's language, plus one about period and scope."""
    book = Workbook()
    about = book.active
    about.title = gettext("About")
    for row in _about(report):
        about.append(row)
    for cell in about["A"]:
        cell.font = Font(bold=True)
    _fit_columns(about)
    about.column_dimensions["A"].width = 16
    for table in report["tables"]:
        sheet = book.create_sheet(sheet_name(table.key))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.headers)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A3"
        _fit_columns(sheet)
    return book


def xlsx_response(report: dict) -> Response:
    data = io.BytesIO()
    workbook(report).save(data)
    return Response(
        data.getvalue(),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename(report, "xlsx")}"'},
    )
