"""Excel (.xlsx) reader: the sheet that holds the list, as one table.

The list's sheet is the one whose header row carries list labels (序号, 项目名称, 主要内容, 责任单位 …
or their synonyms and traditional forms), wherever those columns are. Rows above the header (a title,
附件) become paragraphs; blank spacer rows are skipped; a merged cell gives its top-left value once per
row, with `continued=True` on the rows below the first (vertical merges). Workbooks are first scanned in
read-only mode to enforce the cell limit before the full load that merged cells need.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from minsheng.parsing import limits
from minsheng.parsing.blocks import Block, Cell, Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers.common import (
    CellBudget,
    blank_row,
    document,
    drop_repeated_headers,
    open_zip,
    split_notes,
)

#: Label kinds of a list's header. A header cell counts for a kind when it contains one of the words.
HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "序號", "编号", "編號", "项目编号"),
    "name": ("项目名称", "項目名稱", "实事项目", "實事項目", "项目", "項目", "名称", "名稱", "事项", "事項"),
    "content": (
        "主要内容",
        "主要內容",
        "建设内容",
        "建設內容",
        "目标任务",
        "目標任務",
        "内容",
        "內容",
        "任务",
        "任務",
        "目标",
        "目標",
    ),
    "lead": (
        "责任单位",
        "責任單位",
        "牵头单位",
        "牽頭單位",
        "责任部门",
        "責任部門",
        "主办单位",
        "主辦單位",
        "牵头",
        "牽頭",
        "责任",
        "責任",
    ),
    "partner": ("配合单位", "配合部门", "配合部門", "协办单位", "協辦單位", "配合", "协办", "協辦"),
}
_HEADER_SCAN_ROWS = 30
_MAX_LABEL_LENGTH = 16


def header_kinds(values: list[str]) -> set[str]:
    """The label kinds found in one row's cells (short cells only: a header is not a sentence)."""
    kinds: set[str] = set()
    for value in values:
        text = re.sub(r"\s+", "", value)
        if not text or len(text) > _MAX_LABEL_LENGTH:
            continue
        for kind, words in HEADER_LABELS.items():
            if any(word in text for word in words):
                kinds.add(kind)
                break
    return kinds


def looks_like_header(values: list[str]) -> bool:
    """Two kinds of label, one of them naming the project or its content (序号 + 责任单位 alone is not a list)."""
    kinds = header_kinds(values)
    return len(kinds) >= 2 and bool(kinds & {"name", "content"})


def cell_text(value: Any) -> str:
    """A cell value as the text a person sees (1 not 1.0, dates as 2024-06-30)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def read(data: bytes, name: str) -> Document:
    """Read the list's sheet of an .xlsx/.xlsm workbook."""
    archive = open_zip(data, name, "an Excel workbook (.xlsx)")
    _check_merged_areas(archive, name)
    found = _find_list_sheet(data, name)
    book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    try:
        return _read_sheet(book[found.sheet], found, name)
    finally:
        book.close()


_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_ROW = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


def _check_merged_areas(archive: zipfile.ZipFile, name: str) -> None:
    """openpyxl creates one object per cell under a merge when it loads a workbook, so a tiny file
    merging A1:XFD1048576 would exhaust memory: the merged areas are summed from the XML first."""
    total = 0
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
            continue
        with archive.open(member) as stream:
            for _event, element in etree.iterparse(stream, tag=(_MERGE_CELL, _ROW), resolve_entities=False):
                if element.tag == _MERGE_CELL:
                    try:
                        min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                    except (ValueError, TypeError):
                        continue
                    total += ((max_row or min_row or 1) - (min_row or 1) + 1) * (
                        (max_col or min_col or 1) - (min_col or 1) + 1
                    )
                    if total > limits.MAX_CELLS:
                        raise ParseError(
                            f"merged cells cover more than {limits.MAX_CELLS:,} cells (the cell limit)",
                            file=name,
                            location=f"{member}, {element.get('ref')}",
                        )
                element.clear()


@dataclass
class _Found:
    sheet: str
    header_row: int
    last_row: int  # the last row and column holding a value
    last_column: int


def _find_list_sheet(data: bytes, name: str) -> _Found:
    """The sheet that holds the list and its header row, counting cells on the way (read-only mode,
    with the declared dimensions ignored: only the cells present in the file are counted)."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    budget = CellBudget(name)
    best: tuple[int, int] | None = None  # (label kinds, visible)
    found: _Found | None = None
    looked_at: list[str] = []
    try:
        for sheet in book.worksheets:
            looked_at.append(sheet.title)
            visible = int(getattr(sheet, "sheet_state", "visible") == "visible")
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            header: tuple[int, int] | None = None
            last_row = last_column = 0
            for row_no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                budget.take_cells(max(len(row), 1), f"sheet {sheet.title}, row {row_no}")
                filled = [i for i, v in enumerate(row, start=1) if v not in (None, "")]
                if filled:
                    last_row, last_column = row_no, max(last_column, filled[-1])
                if row_no > _HEADER_SCAN_ROWS or header is not None:
                    continue  # keep counting cells for the limit
                values = [cell_text(v) for v in row]
                if looks_like_header(values):
                    header = (len(header_kinds(values)), row_no)
            if header is not None and (best is None or (header[0], visible) > best):
                best = (header[0], visible)
                found = _Found(sheet.title, header[1], last_row, last_column)
    finally:
        book.close()
    if found is None:
        sheets = "、".join(looked_at) or "(none)"
        raise ParseError(
            f"no sheet holds a list: none of the sheets looked at ({sheets}) has a header row with labels "
            "such as 序号, 项目名称, 主要内容, 责任单位 in its first "
            f"{_HEADER_SCAN_ROWS} rows",
            file=name,
        )
    area = found.last_row * found.last_column
    if area > limits.MAX_CELLS:
        raise ParseError(
            f"the sheet's used area has {area:,} cells, more than the limit of {limits.MAX_CELLS:,}",
            file=name,
            location=f"sheet {found.sheet}",
        )
    return found


def _read_sheet(sheet: Any, found: _Found, name: str) -> Document:
    # merged range -> its top-left text; covered cells point at their range
    covered: dict[tuple[int, int], tuple[int, int, str]] = {}
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row, merged.min_col
        text = cell_text(sheet.cell(row=top, column=left).value)
        for r in range(top, merged.max_row + 1):
            for c in range(left, merged.max_col + 1):
                if (r, c) != (top, left):
                    covered[(r, c)] = (top, left, text)

    header_row = found.header_row
    rows = list(sheet.iter_rows(max_row=found.last_row, max_col=found.last_column, values_only=True))
    width = max((len(r) for r in rows), default=0)
    used = [c for c in range(1, width + 1) if any(c <= len(r) and r[c - 1] not in (None, "") for r in rows)]
    if not used:
        raise ParseError("the list's sheet is empty", file=name, location=f"sheet {sheet.title}")
    first_col, last_col = min(used), max(used)

    blocks: list[Block] = []
    table = Table(location=f"sheet {sheet.title}")
    for row_no, values in enumerate(rows, start=1):
        location = f"sheet {sheet.title}, row {row_no}"
        cells: list[Cell] = []
        for col in range(first_col, last_col + 1):
            merge = covered.get((row_no, col))
            if merge is None:
                value = values[col - 1] if col <= len(values) else None
                cells.append(Cell(text=cell_text(value)))
            elif merge[0] < row_no and merge[1] == col:
                cells.append(Cell(text=merge[2], continued=True))  # lower part of a vertical merge
            # else: covered by a horizontal merge, already given by the cell on its left
        row = Row(cells=cells, location=location)
        if blank_row(row):
            continue  # a blank spacer row
        if row_no < header_row:
            texts = [c.text for c in cells if c.text and not c.continued]
            if texts:
                blocks.append(Paragraph(text=" ".join(texts), location=location))
            continue
        table.rows.append(row)
    drop_repeated_headers(table)  # a header row copied above each printed page
    blocks.append(table)
    return document(split_notes(blocks), name)
