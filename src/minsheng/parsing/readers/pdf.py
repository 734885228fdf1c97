"""PDF reader (text layer only, via pdfplumber): ruled tables and the paragraphs around them.

A PDF has no paragraphs or merged cells, only positioned characters and lines, so they are rebuilt:
- a table's cell that pdfplumber reports as None lies under a merged cell; when the cell above reaches
  down over it, it is the lower part of a vertical merge (`continued=True`), otherwise part of a
  horizontal merge and left out;
- the lines in a cell or paragraph are joined when a line fills the width (a wrap), kept apart when it
  ends short (a real line break, e.g. one unit per line);
- a table continued on the next page is joined to the previous one, dropping the repeated header row,
  and a row cut by the page break is put back together.
Scanned PDFs (no text layer) are refused: OCR is not supported.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

import pdfplumber

from minsheng.parsing import limits
from minsheng.parsing.blocks import Block, Cell, Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers.common import CellBudget, blank_row, document, is_page_furniture, split_notes

_TERMINAL = tuple("。；;！!？?")
_SENTENCE_MARKS = tuple("，。；;：:！？")
_NO_LINE_START = set("）)，,。.、；;：:！!？?”’」』】》%")
_NO_LINE_END = set("（([【《「『")
_QUOTES = set("“”‘’\"'")
_NAME_ENDINGS = set("局委办院会队社联所站部处科团镇道司心馆厂府）)")
_BRANCH = re.compile(r"^.{1,2}(分局|分院|分行|分所|分会|分中心|分公司|支队|大队|中队)$")
_COUNT_BEFORE = re.compile(r"[0-9０-９一二三四五六七八九十百千万两几多]")
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")
# A line starting like a list entry or heading begins a new paragraph even after a full line.
_MARKER = re.compile(
    r"^\s*(\d{1,3}\s*[.．](?!\d)|\d{1,3}\s*、|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|"
    r"第[一二三四五六七八九十百\d]{1,4}[项条章部分]|[①-⑳]|附件)"
)


def read(data: bytes, name: str) -> Document:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if _about_password(exc):
            raise ParseError(
                "the PDF is password-protected; save an unprotected copy and upload that", file=name
            ) from exc
        raise ParseError(
            f"cannot read the PDF: it is damaged ({type(exc).__name__}: {exc})", file=name
        ) from exc
    with pdf:
        pages = pdf.pages
        if len(pages) > limits.MAX_PAGES:
            raise ParseError(
                f"the PDF has {len(pages)} pages, more than the limit of {limits.MAX_PAGES}", file=name
            )
        budget = CellBudget(name)
        per_page: list[list[Block]] = []
        chars = 0
        cid = 0
        for number, page in enumerate(pages, start=1):
            chars += len(page.chars)
            cid += sum(1 for c in page.chars if str(c.get("text", "")).startswith("(cid:"))
            per_page.append(_read_page(page, number, budget))
            page.flush_cache()
    blocks = [block for page_blocks in _drop_running_lines(per_page) for block in page_blocks]
    if chars == 0:
        raise ParseError(
            "the PDF has no text layer: it is a scan (pages are images) and OCR is not supported; "
            "upload the original Word/Excel file or a PDF exported from it",
            file=name,
        )
    if cid > chars // 2:
        raise ParseError(
            "the PDF's fonts carry no character mapping, so its text cannot be extracted; "
            "upload the original Word/Excel file",
            file=name,
        )
    return document(split_notes(_join_pages(blocks)), name)


def _about_password(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect / encryption errors in its own exception."""
    seen: list[object] = [exc, exc.__cause__, exc.__context__, *exc.args]
    return any(
        isinstance(e, BaseException)
        and ("password" in type(e).__name__.lower() or "encrypt" in type(e).__name__.lower())
        for e in seen
    )


def _drop_running_lines(pages: list[list[Block]]) -> list[list[Block]]:
    """Drop a running header or footer: a short paragraph that is the first block (or the last) of at
    least half of the pages, and of two at least. Its first occurrence stays (it may be the title);
    later ones would split a table continued across the pages."""

    def edge_texts(blocks: list[Block]) -> list[tuple[str, str]]:
        found = []
        for edge, block in (("top", blocks[:1]), ("bottom", blocks[-1:])):
            if block and isinstance(block[0], Paragraph) and len(block[0].text) <= 40:
                found.append((edge, block[0].text))
        return found

    counts: dict[tuple[str, str], int] = {}
    for blocks in pages:
        for key in set(edge_texts(blocks)):
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in counts.items() if count >= needed}
    if not running:
        return pages
    seen: set[tuple[str, str]] = set()
    out = []
    for blocks in pages:
        drop = set()
        for edge, text in edge_texts(blocks):
            if (edge, text) in running:
                if (edge, text) in seen:
                    drop.add(0 if edge == "top" else len(blocks) - 1)
                seen.add((edge, text))
        out.append([b for i, b in enumerate(blocks) if i not in drop])
    return out


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    lead: float  # width of the line's first unbreakable piece (a character with the punctuation
    #              that may not start a line after it, or a run of Latin letters/digits)


def _lines(chars: list[dict[str, Any]]) -> list[_Line]:
    """Group characters into lines (by their vertical position) and order each line left to right.
    A gap wider than a quarter of the font size inside a line is a space."""
    visible = sorted((c for c in chars if str(c.get("text", "")).strip()), key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for char in visible:
        size = float(char.get("size", 0)) or 10.0
        if groups and abs(float(char["top"]) - float(groups[-1][0]["top"])) <= 0.45 * size:
            groups[-1].append(char)
        else:
            groups.append([char])
    out = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        sizes = sorted(float(c.get("size", 0)) for c in group)
        size = sizes[len(sizes) // 2] or 10.0
        parts = [str(group[0]["text"])]
        for before, char in itertools.pairwise(group):
            if float(char["x0"]) - float(before["x1"]) > max(1.5, 0.25 * size):
                parts.append(" ")
            parts.append(str(char["text"]))
        text = "".join(parts)
        x0, x1 = float(group[0]["x0"]), max(float(c["x1"]) for c in group)
        out.append(_Line(text, x0, x1, float(group[0]["top"]), size, _lead(group)))
    return out


def _lead(chars: list[dict[str, Any]]) -> float:
    """Width of the first piece a renderer would not break (UAX #14 in short): a character, plus the
    closing punctuation after it, quotes on either side, the character after an opening bracket, and
    a run of Latin letters/digits with the word after it (renderers keep "17000吨" together)."""
    texts = [str(c["text"]) for c in chars]
    end = 1
    while end < len(texts):
        before, after = texts[end - 1], texts[end]
        if (
            after in _NO_LINE_START
            or after in _QUOTES
            or before in _QUOTES
            or before in _NO_LINE_END
            or (before.isascii() and before.isalnum() and (after.isalnum() or after in ".%"))
        ):
            end += 1
        else:
            break
    return float(chars[end - 1]["x1"]) - float(chars[0]["x0"])


def join_wrapped(lines: list[_Line], left: float, right: float) -> str:
    """Join lines that wrap and keep real line breaks (see `_wraps`)."""
    if not lines:
        return ""
    pad = max(min(line.x0 for line in lines) - left, 0.0)
    available = (right - left) - 2 * pad
    names_only = not any(mark in line.text for line in lines for mark in _SENTENCE_MARKS)
    parts = [lines[0].text]
    for previous, line in itertools.pairwise(lines):
        full = (previous.x1 - previous.x0) + line.lead > available - 0.3 * previous.size
        if _wraps(previous.text, line.text, full=full, names_only=names_only):
            glue = (
                " " if _ASCII_WORD_END.search(previous.text) and _ASCII_WORD_START.search(line.text) else ""
            )
            parts.append(glue + line.text)
        else:
            parts.append("\n" + line.text)
    return "".join(parts).strip()


def _ends_like_a_name(line: str) -> bool:
    """…局, …街道, …（街道）: at least two characters after the last 、 (区民政局、团 + 区委 is one
    name cut), and not a count (3所, 十所)."""
    text = re.split(r"[、，,；;\s]", line.strip())[-1]
    return len(text) >= 2 and text[-1] in _NAME_ENDINGS and not _COUNT_BEFORE.match(text[-2])


def _wraps(previous: str, line: str, *, full: bool, names_only: bool) -> bool:
    """Whether `line` continues `previous` (a wrap) rather than starting a new line of the source.

    Geometry decides in running text (a line filling the width wraps). In a cell of names (units, a
    project name: no sentence punctuation) a narrow column is often exactly filled by one name, so a
    line ending like a name (…局, …街道, …）) is a break there."""
    if previous.count("（") + previous.count("(") > previous.count("）") + previous.count(")"):
        return True  # an open bracket continues on the next line
    if line[:1] in _NO_LINE_START:
        return True  # a line never starts with closing punctuation
    if _MARKER.match(line):
        return False
    if names_only and full and _BRANCH.match(line.strip()):
        return True  # "佛山市生态环境局" + "顺德分局": a place and a branch is no unit on its own
    if names_only and (_ends_like_a_name(previous) or line[:1] in "（("):
        return False
    return full


def _centre_in(char: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """Whether a character belongs to a box, judged by its centre (as pdfplumber's tables do)."""
    x = (float(char["x0"]) + float(char["x1"])) / 2
    y = (float(char["top"]) + float(char["bottom"])) / 2
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _read_page(page: Any, number: int, budget: CellBudget) -> list[Block]:
    tables = page.find_tables()
    # each character goes to the cell that holds it, or to the running text outside the tables
    cell_boxes = [[box for row in t.rows for box in row.cells if box is not None] for t in tables]
    in_cells: dict[tuple[float, float, float, float], list[dict[str, Any]]] = {}
    outside: list[dict[str, Any]] = []
    for char in page.chars:
        for table, boxes in zip(tables, cell_boxes, strict=True):
            if _centre_in(char, table.bbox):
                for box in boxes:
                    if _centre_in(char, box):
                        in_cells.setdefault(tuple(box), []).append(char)
                        break
                break
        else:
            outside.append(char)
    placed: list[tuple[float, Block]] = []
    for index, found in enumerate(tables, start=1):
        table = _read_table(found, in_cells, number, index, budget)
        if table.rows:
            placed.append((found.bbox[1], table))
    text_lines = [line for line in _lines(outside) if not is_page_furniture(line.text)]
    if text_lines:
        left = min(line.x0 for line in text_lines)
        right = max(line.x1 for line in text_lines)
        paragraph: list[_Line] = []
        for line in [*text_lines, None]:
            if paragraph and (line is None or not _continues(paragraph[-1], line, left, right)):
                text = join_wrapped(paragraph, left, right)
                budget.take_text(text, f"page {number}")
                placed.append((paragraph[0].top, Paragraph(text=text, location=f"page {number}")))
                paragraph = []
            if line is not None:
                paragraph.append(line)
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _continues(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """Whether `line` continues the paragraph ending with `previous` (which filled the text width)."""
    gap = line.top - previous.top
    if gap > 2.2 * max(previous.size, 1.0):
        return False
    full = previous.x1 + line.lead > right - 0.3 * previous.size
    return _wraps(previous.text, line.text, full=full, names_only=False)


def _read_table(
    found: Any,
    in_cells: dict[tuple[float, float, float, float], list[dict[str, Any]]],
    page_no: int,
    index: int,
    budget: CellBudget,
) -> Table:
    location = f"page {page_no}, table {index}"
    table = Table(location=location)
    last_box: dict[int, tuple[float, float, float, float]] = {}
    last_text: dict[int, str] = {}
    for row_no, row in enumerate(found.rows, start=1):
        row_location = f"page {page_no}, table {index}, row {row_no}"
        budget.take_cells(len(row.cells), row_location)
        cells: list[Cell] = []
        row_top = min((c[1] for c in row.cells if c is not None), default=0.0)
        for column, box in enumerate(row.cells):
            if box is None:
                above = last_box.get(column)
                if above is not None and above[3] > row_top + 1:
                    cells.append(Cell(text=last_text.get(column, ""), continued=True))
                continue
            text = join_wrapped(_lines(in_cells.get(tuple(box), [])), box[0], box[2])
            last_box[column], last_text[column] = box, text
            cells.append(Cell(text=text))
        line = Row(cells=cells, location=row_location)
        budget.take_text("".join(line.texts), row_location)
        if cells and not blank_row(line):
            table.rows.append(line)
    return table


def _width(table: Table) -> int:
    return max((len(r.cells) for r in table.rows), default=0)


def _emptied(previous: Row, row: Row) -> set[int]:
    """The columns (beyond the first) where `row` has an empty cell of its own (not the lower part of a
    merge) under a cell of `previous` that has text of its own (a merged cell's empty part on a new page
    says nothing)."""
    if len(previous.cells) != len(row.cells):
        return set()
    return {
        column
        for column, (above, cell) in enumerate(zip(previous.cells, row.cells, strict=True))
        if column and above.text.strip() and not above.continued and not (cell.text.strip() or cell.continued)
    }


def _is_fragment(previous: Row, row: Row, *, filled: frozenset[int] = frozenset()) -> bool:
    """Whether `row`, at the top of a page, is the rest of `previous` cut by the page break: its first
    cell is empty, it only has text where `previous` has text, and `previous` stops mid-sentence; or
    `row` leaves empty a column that every other row of the table fills (or merges) under a filled
    cell (`filled`), as the rest of a cut row does even after a full stop."""
    if len(previous.cells) != len(row.cells) or not row.cells or row.cells[0].text.strip():
        return False
    own = [i for i, c in enumerate(row.cells) if c.text.strip() and not c.continued]
    if not own or any(not previous.cells[i].text.strip() for i in own):
        return False
    longest = max(own, key=lambda i: len(previous.cells[i].text))
    if not previous.cells[longest].text.rstrip().endswith(_TERMINAL):
        return True
    return bool(_emptied(previous, row) & filled)


def _filled_columns(*parts: list[Row]) -> frozenset[int]:
    """The columns that no row of `parts` (each a run of consecutive rows) leaves empty under a filled
    cell (see `_emptied`); none when the parts hold fewer than three rows, too few to tell."""
    if sum(len(part) for part in parts) < 3:
        return frozenset()
    width = max((len(r.cells) for part in parts for r in part), default=0)
    pairs = [pair for part in parts for pair in itertools.pairwise(part)]
    left_empty = set().union(*(_emptied(a, b) for a, b in pairs))
    return frozenset(range(1, width)) - left_empty


def _join_pages(blocks: list[Block]) -> list[Block]:
    """Join tables continued across pages (same width, only page furniture between them)."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if not (isinstance(block, Table) and isinstance(previous, Table) and previous.rows and block.rows):
            out.append(block)
            continue
        if _width(previous) != _width(block):
            out.append(block)
            continue
        rows = list(block.rows)
        if rows[0].texts == previous.rows[0].texts:
            rows = rows[1:]  # the header row repeated on the new page
        # Both parts of the table, not counting the row in question, tell which columns always fill.
        filled = _filled_columns(previous.rows[1:], rows[1:])
        if rows and _is_fragment(previous.rows[-1], rows[0], filled=filled):
            last = previous.rows[-1]
            for cell, part in zip(last.cells, rows[0].cells, strict=False):
                if part.text.strip() and not part.continued:
                    cell.text = join_wrapped_texts(cell.text, part.text)
            rows = rows[1:]
        _carry_merges(previous.rows[-1], rows)
        previous.rows.extend(rows)
    return out


def _carry_merges(last: Row, rows: list[Row]) -> None:
    """A merged cell cut by the page break shows its text on the first page only; its part on the new
    page is an empty cell (with `continued` cells below it). Give that part the text it continues.

    The first row's empty cell is taken as such a part when cells below continue it, when it is the
    first column (a row without its own number belongs to the entry above), or when the entry carries
    on and the cell above was already inside a merge."""
    width = len(last.cells)
    carried_first = False
    for column, source in enumerate(last.cells):
        if not source.text.strip():
            continue
        for index, row in enumerate(rows):
            if len(row.cells) != width:
                break
            cell = row.cells[column]
            if cell.text:
                break
            if not cell.continued:
                below = rows[index + 1].cells if index + 1 < len(rows) else []
                spans_down = len(below) == width and below[column].continued
                inside_merge = carried_first and source.continued
                if index > 0 or not (spans_down or column == 0 or inside_merge):
                    break
            cell.text, cell.continued = source.text, True
            if column == 0 and index == 0:
                carried_first = True


def join_wrapped_texts(first: str, second: str) -> str:
    """Join the two parts of a cell cut by a page break (the first part is taken to fill its cell)."""
    first, second = first.rstrip(), second.lstrip()
    names_only = not any(mark in first + second for mark in _SENTENCE_MARKS)
    last_line, next_line = first.rsplit("\n", 1)[-1], second.split("\n", 1)[0]
    if not _wraps(last_line, next_line, full=True, names_only=names_only):
        return first + "\n" + second
    glue = " " if _ASCII_WORD_END.search(first) and _ASCII_WORD_START.search(second) else ""
    return first + glue + second
