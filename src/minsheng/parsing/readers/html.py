"""Web page reader (bs4 + lxml): the list as published on a government site.

Site furniture (navigation, header, footer, scripts, styles, forms, breadcrumbs, share bars) is dropped;
the rest is read in order as paragraphs and tables. A table that contains other tables is page layout,
not data, and is read as running content. In data tables a cell with colspan is one `Cell`; a cell with
rowspan reappears in the rows below as `Cell(text, continued=True)`.
Also reads a page saved by a browser or Word as a single file (.mht / "web archive").
"""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from minsheng.parsing import limits
from minsheng.parsing.blocks import Block, Cell, Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers.common import (
    CellBudget,
    blank_row,
    document,
    drop_repeated_headers,
    split_notes,
    tidy_inline,
)

_DROPPED_TAGS = [
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template",
    "svg", "button", "select", "textarea", "head", "object", "embed", "canvas", "map",
]  # fmt: skip
_FURNITURE = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|bottom|sidebar|share|copyright|toolbar|"
    r"topbar|top-bar|skip|position|location|dqwz|related|relate|xglj|yqlj|friendlinks?|links)([-_\s]|$)",
    re.I,
)
# Site footer lines (copyright, ICP licence, site code), dropped wherever the markup puts them.
_FOOTER_TEXT = re.compile(r"版权所有|ICP备|ICP证|公网安备|网站标识码|網站標識碼|版權所有")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "address", "center", "figure", "figcaption", "caption",
    "tr", "td", "th", "tbody", "thead", "tfoot", "body", "html", "hr",
}  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes) -> str:
    """Decode a page: byte-order mark, then the declared charset (gb2312/gbk read as the superset
    gb18030, as browsers do), then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        if charset in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            charset = "gb18030"
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read(data: bytes, name: str) -> Document:
    return read_markup(decode_html(data), name)


def read_mhtml(data: bytes, name: str) -> Document:
    """A single-file web archive: the first text/html part of the MIME message."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                if charset:
                    if charset.lower() in ("gb2312", "gbk"):
                        charset = "gb18030"
                    try:
                        return read_markup(payload.decode(charset, errors="replace"), name)
                    except LookupError:
                        pass
                return read(payload, name)
    raise ParseError("the saved web page (.mht) holds no HTML part", file=name)


def read_markup(markup: str, name: str) -> Document:
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        marks = " ".join([str(tag.get("id") or ""), *(str(c) for c in tag.get("class") or [])])
        if marks and _FURNITURE.search(marks):
            tag.decompose()
    walker = _Walker(name)
    walker.walk(soup.body or soup)
    walker.flush()
    return document(split_notes(walker.blocks), name)


class _Walker:
    """Walks the page in order, collecting inline text into paragraphs and data tables into tables."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.prefix = ""
        self.paragraphs = 0
        self.tables = 0
        self.budget = CellBudget(name)

    def flush(self) -> None:
        text = tidy_inline("".join(self.buffer))
        self.buffer = []
        if text and _FOOTER_TEXT.search(text):
            return
        if text:
            text, self.prefix = self.prefix + text, ""
            self.paragraphs += 1
            location = f"paragraph {self.paragraphs}"
            self.budget.take_text(text, location)
            self.blocks.append(Paragraph(text=text, location=location))

    def walk(self, node: Any) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                self.flush()
            elif child.name == "table" and _is_data_table(child):
                self.flush()
                self.tables += 1
                table = _read_table(child, self.tables, self.budget)
                if table.rows:
                    self.blocks.append(table)
            elif child.name == "ol":
                self.flush()
                self._ordered_list(child)
            elif child.name in _BLOCK_TAGS or child.name == "table":
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def _ordered_list(self, ol: Tag) -> None:
        """<ol> numbers its items in the browser, not in the text: write the numbers in."""
        number = _span(ol, "start") if str(ol.get("start", "")).strip().isdigit() else 1
        style = str(ol.get("type", "1"))
        for item in ol.find_all("li", recursive=False):
            value = item.get("value")
            if value is not None and str(value).strip().isdigit():
                number = int(str(value).strip())
            self.flush()
            self.prefix = _list_marker(number, style)  # goes before the item's first text
            self.walk(item)
            self.flush()
            self.prefix = ""
            number += 1


def _list_marker(number: int, style: str) -> str:
    from minsheng.parsing.readers.docx import format_number

    fmt = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}.get(style, "decimal")
    return f"{format_number(number, fmt)}."


def _own_rows(table: Tag) -> list[Tag]:
    """The table's rows, not those of tables nested in it."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _is_data_table(table: Tag) -> bool:
    """A table holding data, not one used for page layout (which nests tables or has a single cell)."""
    if table.find("table") is not None:
        return False
    rows = _own_rows(table)
    cells = sum(len(tr.find_all(["td", "th"], recursive=False)) for tr in rows)
    return cells > 1


def cell_text(cell: Tag) -> str:
    """A cell's text, with line breaks where the page has <br> or separate paragraphs."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = tidy_inline("".join(buffer))
        buffer.clear()
        if text:
            lines.append(text)

    def walk(node: Any) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    flush()
                elif child.name in _BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(cell)
    flush()
    return "\n".join(lines)


def _span(cell: Tag, attribute: str) -> int:
    try:
        value = int(str(cell.get(attribute, "1")).strip() or "1")
    except ValueError:
        return 1
    return min(max(value, 1), limits.MAX_HTML_SPAN)


def _read_table(element: Tag, number: int, budget: CellBudget) -> Table:
    table = Table(location=f"table {number}")
    # grid column -> (text, rows still covered, columns covered) for cells with rowspan
    pending: dict[int, tuple[str, int, int]] = {}
    grids: list[list[tuple[int, int]]] = []  # per kept row: (grid column, width) of each cell
    heads: list[bool] = []  # per kept row: a header row (in <thead>, or all <th>)
    for row_no, tr in enumerate(_own_rows(element), start=1):
        location = f"table {number}, row {row_no}"
        sources = tr.find_all(["td", "th"], recursive=False)
        budget.take_cells(len(sources) + len(pending), location)
        cells: list[Cell] = []
        grid: list[tuple[int, int]] = []
        column = 0
        queue = list(sources)
        while queue or any(c >= column for c in pending):
            if column in pending:
                text, remaining, width = pending[column]
                cells.append(Cell(text=text, continued=True))
                grid.append((column, width))
                if remaining > 1:
                    pending[column] = (text, remaining - 1, width)
                else:
                    del pending[column]
                column += width
                continue
            if not queue:
                column = min(c for c in pending if c >= column)
                continue
            source = queue.pop(0)
            text = cell_text(source)
            width, height = _span(source, "colspan"), _span(source, "rowspan")
            cells.append(Cell(text=text))
            grid.append((column, width))
            if height > 1:
                pending[column] = (text, height - 1, width)
            column += width
        row = Row(cells=cells, location=location)
        budget.take_text("".join(row.texts), location)
        if cells and not blank_row(row):
            table.rows.append(row)
            grids.append(grid)
            heads.append(tr.find_parent("thead") is not None or all(s.name == "th" for s in sources))
    _flatten_header(table, grids, heads)
    drop_repeated_headers(table)
    return table


def _flatten_header(table: Table, grids: list[list[tuple[int, int]]], heads: list[bool]) -> None:
    """A header of two rows (责任主体 spanning 牵头单位 | 配合单位) becomes one row with one label per
    column, the most specific: what the layout step reads as column labels. A first row that is one
    cell across the whole table (a caption) is left alone."""
    start = 0
    width = max((c + w for grid in grids for c, w in grid), default=0)
    if grids and len(grids[0]) == 1 and grids[0][0][1] >= width:
        start = 1
    end = start
    while end < len(heads) and heads[end]:
        end += 1
    if end - start < 2 or not any(w > 1 for c, w in grids[start]):
        return
    labels: list[str] = [""] * width
    for row, grid in zip(table.rows[start:end], grids[start:end], strict=True):
        for cell, (column, span) in zip(row.cells, grid, strict=True):
            for c in range(column, column + span):
                if cell.text:
                    labels[c] = cell.text
    header = Row(cells=[Cell(text=label) for label in labels], location=table.rows[start].location)
    table.rows[start:end] = [header]
