"""The plan as a Word attachment: 附件, the title, and one table whose 序号 and 项目名称 cells are merged
down each project's rows; unit cells are merged where neighbouring items share them, as printed lists do."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from minsheng.interchange.exporters.docx_style import (
    FANGSONG,
    HEITI,
    add_page_number_footer,
    page_setup,
    repeat_as_header,
    set_font,
    write_lines,
)
from minsheng.interchange.exporters.layout import (
    ATTACHMENT_LINE,
    PlanSheet,
    merge_runs,
    plan_sheet,
    row_cells,
)
from minsheng.plans.models import Plan

# Column widths (cm) on landscape A4 (24.7 cm of text width): 序号, 项目名称, 主要内容, 责任单位, 配合单位.
BASE_WIDTHS = [1.3, 3.2, 12.0, 3.6, 4.6]
EXTRA_WIDTH = 2.5
BODY_PT = 10.5
HEAD_PT = 12


def plan_docx(plan: Plan) -> bytes:
    """The .docx bytes of the plan in the official attachment layout."""
    return sheet_docx(plan_sheet(plan))


def sheet_docx(sheet: PlanSheet) -> bytes:
    doc = Document()
    page_setup(doc, landscape=True)
    set_font(doc.add_paragraph().add_run(ATTACHMENT_LINE), HEITI, 16)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    set_font(title.add_run(sheet.title), HEITI, 22)

    table = doc.add_table(rows=1, cols=len(sheet.header))
    table.style = "Table Grid"
    table.autofit = False
    widths = [*BASE_WIDTHS, *([EXTRA_WIDTH] * len(sheet.extra_keys))]
    header = table.rows[0]
    repeat_as_header(header)
    for cell, label in zip(header.cells, sheet.header, strict=True):
        write_lines(cell, label, HEITI, HEAD_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    category = ""
    for project in sheet.projects:
        if project.category and project.category != category:
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[-1])
            write_lines(merged, project.category, HEITI, BODY_PT)
        category = project.category
        first = len(table.rows)
        for item in project.items or []:
            cells = table.add_row().cells
            for cell, text in zip(cells[2:], row_cells(sheet, item), strict=True):
                write_lines(cell, text, FANGSONG, BODY_PT)
        if not project.items:
            table.add_row()
        last = len(table.rows) - 1
        top = table.rows[first].cells
        write_lines(top[0], str(project.no), FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
        write_lines(top[1], project.name_cell, FANGSONG, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
        for column in (0, 1):
            if last > first:
                _merge_down(table, column, first, last)
        for column in (3, 4):
            values = [table.rows[r].cells[column].text for r in range(first, last + 1)]
            for start, end in merge_runs(values):
                if end > start:
                    _merge_down(table, column, first + start, first + end)

    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)  # the grid, which LibreOffice reads
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    add_page_number_footer(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _merge_down(table: object, column: int, first: int, last: int) -> None:
    """Merge a column's cells from row `first` to `last`, keeping the top cell's text only."""
    for r in range(first + 1, last + 1):
        tc = table.rows[r].cells[column]._tc  # type: ignore[attr-defined]
        paragraphs = tc.p_lst
        for p in paragraphs[1:]:
            tc.remove(p)
        for run in list(paragraphs[0].r_lst):
            paragraphs[0].remove(run)
    top = table.rows[first].cells[column]  # type: ignore[attr-defined]
    top.merge(table.rows[last].cells[column])  # type: ignore[attr-defined]
