"""The plan as an Excel attachment: the same layout as the Word file on one sheet, A4 landscape, with
project cells merged down their rows and the header repeated on every printed page."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from minsheng.core.spreadsheets import safe_workbook
from minsheng.interchange.exporters.layout import (
    ATTACHMENT_LINE,
    PlanSheet,
    merge_runs,
    plan_sheet,
    row_cells,
)
from minsheng.plans.models import Plan

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
WIDTHS = [6, 16, 60, 18, 22]  # characters: 序号, 项目名称, 主要内容, 责任单位, 配合单位
EXTRA_WIDTH = 14
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def plan_xlsx(plan: Plan) -> bytes:
    """The .xlsx bytes of the plan in the official attachment layout."""
    return sheet_xlsx(plan_sheet(plan))


def sheet_xlsx(sheet: PlanSheet) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "项目清单"
    width = len(sheet.header)
    ws.cell(row=1, column=1, value=ATTACHMENT_LINE).font = Font(name=HEITI, size=16)
    title = ws.cell(row=2, column=1, value=sheet.title)
    title.font = Font(name=HEITI, size=20)
    title.alignment = CENTRE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 36
    header_row = 3
    for column, label in enumerate(sheet.header, start=1):
        cell = ws.cell(row=header_row, column=column, value=label)
        cell.font = Font(name=HEITI, size=12)
        cell.alignment = CENTRE
        cell.border = BOX

    row = header_row + 1
    category = ""
    body = Font(name=FANGSONG, size=11)
    for project in sheet.projects:
        if project.category and project.category != category:
            cell = ws.cell(row=row, column=1, value=project.category)
            cell.font = Font(name=HEITI, size=11)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            _box(ws, row, row, width)
            row += 1
        category = project.category
        first = row
        for item in project.items:
            for column, text in enumerate(row_cells(sheet, item), start=3):
                cell = ws.cell(row=row, column=column, value=text or None)
                cell.font = body
                cell.alignment = WRAP
            row += 1
        if not project.items:
            row += 1
        last = row - 1
        for column, value in ((1, project.no), (2, project.name_cell)):
            cell = ws.cell(row=first, column=column, value=value)
            cell.font = body
            cell.alignment = CENTRE
            if last > first:
                ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
        for column in (4, 5):
            values = [str(ws.cell(row=r, column=column).value or "") for r in range(first, last + 1)]
            for start, end in merge_runs(values):
                if end > start:
                    for r in range(first + start + 1, first + end + 1):
                        ws.cell(row=r, column=column).value = None
                    ws.merge_cells(
                        start_row=first + start, start_column=column, end_row=first + end, end_column=column
                    )
        _box(ws, first, last, width)

    for column in range(1, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = (
            WIDTHS[column - 1] if column <= 5 else EXTRA_WIDTH
        )
    fit_row_heights(ws, header_row + 1, row - 1, width)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    fit_to_width(ws)
    if ws.oddFooter is not None:
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    safe_workbook(book)
    book.save(out)
    return out.getvalue()


LINE_PT = 15.0  # one line of 11 pt 仿宋 with its leading


def fit_row_heights(ws: Worksheet, first: int, last: int, width: int) -> None:
    """Give each row the height its wrapped text needs. Spreadsheets do not grow a row for wrapped text
    written by a program, so without this the lines overlap on screen and in print; a column `w`
    characters wide holds about w / 2 汉字 a line."""
    # Cells merged down several rows share those rows' height; they do not set one row's.
    merged = {cell for rng in ws.merged_cells.ranges if rng.max_row > rng.min_row for cell in rng.cells}
    for r in range(first, last + 1):
        lines = 1
        for c in range(1, width + 1):
            value = ws.cell(row=r, column=c).value
            if value is None or (r, c) in merged:
                continue
            column_width = ws.column_dimensions[get_column_letter(c)].width or EXTRA_WIDTH
            per_line = max(1, int(column_width / 2))
            needed = sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))
            lines = max(lines, needed)
        ws.row_dimensions[r].height = lines * LINE_PT + 4


def fit_to_width(ws: Worksheet) -> None:
    """Print all columns on the page width and as many pages down as the rows need.

    openpyxl leaves `pageSetUpPr` unset, and without its fitToPage flag Excel and LibreOffice ignore
    fitToWidth: the whole sheet was squeezed onto one page."""
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _box(ws: Worksheet, first: int, last: int, width: int) -> None:
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).border = BOX
