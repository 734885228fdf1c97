"""Word (.docx) reader: body paragraphs and tables in document order.

Works on the WordprocessingML tree (through python-docx) rather than python-docx's table API so that
merged cells come out right: a horizontally merged cell (gridSpan, or legacy hMerge) is one `Cell`; the
lower parts of a vertically merged cell (vMerge) are `Cell(text_of_the_top, continued=True)`.
Automatic numbering (numbering.xml) is not part of the paragraph text in the file, so it is resolved
here and written back as the marker a reader sees (`1.`, `一、`, `（1）`), both in paragraphs and in
table cells (a 序号 column is often auto-numbered).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from minsheng.parsing.blocks import Block, Cell, Document, Paragraph, Row, Table
from minsheng.parsing.readers.common import (
    CellBudget,
    blank_row,
    document,
    drop_repeated_headers,
    join_split_tables,
    open_zip,
    split_notes,
)

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_TR = qn("w:tr")
_W_TC = qn("w:tc")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NOBREAKHYPHEN = qn("w:noBreakHyphen")
_W_VAL = qn("w:val")
_W_TYPE = qn("w:type")
_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
_SKIPPED = {
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",  # duplicate of the Choice
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:pPr"),
    qn("w:rPr"),
    qn("w:instrText"),
}
_OOXML_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_WORD_TYPES = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def read(data: bytes, name: str) -> Document:
    """Read a .docx (also .docm/.dotx) file."""
    open_zip(data, name, "a Word document (.docx)")
    word = open_docx(io.BytesIO(_as_plain_document(data)))
    numbering = Numbering(word)
    budget = CellBudget(name)
    counts = {"paragraph": 0, "table": 0}
    blocks = _read_blocks(word.element.body, numbering, budget, counts)
    blocks = [b for b in blocks if not isinstance(b, Table) or b.rows]
    return document(split_notes(join_split_tables(blocks)), name)


def _read_blocks(
    parent: Any, numbering: Numbering, budget: CellBudget, counts: dict[str, int]
) -> list[Block]:
    blocks: list[Block] = []
    for element in _block_items(parent):
        if element.tag == _W_P:
            counts["paragraph"] += 1
            location = f"paragraph {counts['paragraph']}"
            text = numbering.marker(element) + paragraph_text(element)
            budget.take_text(text, location)
            if text.strip():
                blocks.append(Paragraph(text=text, location=location))
        elif (frame := _single_cell(element)) is not None:
            blocks.extend(_read_blocks(frame, numbering, budget, counts))  # a frame, not a table
        else:
            counts["table"] += 1
            blocks.append(_read_table(element, counts["table"], numbering, budget))
    return blocks


def _single_cell(tbl: Any) -> Any:
    """The cell of a one-cell table (used as a frame around content), else None."""
    rows = list(_children(tbl, _W_TR))
    if len(rows) != 1:
        return None
    cells = list(_children(rows[0], _W_TC))
    return cells[0] if len(cells) == 1 else None


def _as_plain_document(data: bytes) -> bytes:
    """python-docx only opens the plain document content type; macro-enabled files and templates have
    the same body, so their content type is rewritten in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
        if not any(t in types for t in _OTHER_WORD_TYPES):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in archive.infolist():
                content = archive.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    for other in _OTHER_WORD_TYPES:
                        content = content.replace(other, _OOXML_DOCUMENT)
                copy.writestr(info.filename, content)
    return out.getvalue()


def _block_items(parent: Any) -> Any:
    """w:p and w:tbl children in order, looking through content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _block_items(child)


def _children(parent: Any, tag: str) -> Any:
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def paragraph_text(p: Any) -> str:
    """The visible text of a paragraph: runs, hyperlinks, fields' results, tracked insertions; not
    deleted text, field codes or the fallback copy of a text box."""
    parts: list[str] = []
    _collect(p, parts, root=True)
    return "".join(parts)


def _collect(element: Any, parts: list[str], *, root: bool = False) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W_T:
            parts.append(child.text or "")
        elif tag == _W_TAB:
            parts.append("\t")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_NOBREAKHYPHEN:
            parts.append("-")
        elif tag == _W_P:  # a paragraph inside a text box anchored here
            if parts and not parts[-1].endswith("\n"):
                parts.append("\n")
            _collect(child, parts)
        else:
            _collect(child, parts)


def _cell_text(tc: Any, numbering: Numbering) -> str:
    lines: list[str] = []
    for element in _block_items(tc):
        if element.tag == _W_P:
            line = numbering.marker(element) + paragraph_text(element)
            lines.extend(line.split("\n"))
        else:  # a table nested in the cell: its cells as lines
            for tr in _children(element, _W_TR):
                for inner in _children(tr, _W_TC):
                    lines.append(_cell_text(inner, numbering))
    return "\n".join(line.strip() for line in lines if line.strip())


def _int_attr(parent: Any, tag: str, default: int) -> int:
    child = parent.find(qn(tag)) if parent is not None else None
    if child is None:
        return default
    try:
        return max(int(child.get(_W_VAL, default)), 0)
    except ValueError:
        return default


def _read_table(tbl: Any, table_no: int, numbering: Numbering, budget: CellBudget) -> Table:
    table = Table(location=f"table {table_no}")
    above: dict[int, str] = {}  # grid column -> text of the cell that last started there
    for row_no, tr in enumerate(_children(tbl, _W_TR), start=1):
        location = f"table {table_no}, row {row_no}"
        column = _int_attr(tr.find(qn("w:trPr")), "w:gridBefore", 0)
        cells: list[Cell] = []
        for tc in _children(tr, _W_TC):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(_int_attr(tc_pr, "w:gridSpan", 1), 1)
            h_merge = tc_pr.find(qn("w:hMerge")) if tc_pr is not None else None
            v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            if h_merge is not None and h_merge.get(_W_VAL) != "restart":
                column += span  # legacy horizontal merge: the cell to the left already holds the text
                continue
            if v_merge is not None and v_merge.get(_W_VAL, "continue") == "continue":
                cells.append(Cell(text=above.get(column, ""), continued=True))
            else:
                text = _cell_text(tc, numbering)
                above[column] = text
                cells.append(Cell(text=text))
            column += span
        budget.take_cells(len(cells), location)
        row = Row(cells=cells, location=location)
        budget.take_text("".join(row.texts), location)
        if cells and not blank_row(row):
            table.rows.append(row)
    drop_repeated_headers(table)
    return table


# --- automatic numbering -------------------------------------------------------------------------


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


class Numbering:
    """Resolves a paragraph's automatic number (w:numPr, directly or through its style) to its marker."""

    def __init__(self, word: Any) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # numId -> ilvl -> level
        self.style_num: dict[str, tuple[str, int]] = {}  # styleId -> (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering_root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering_root = None
        if numbering_root is not None:
            self._load_numbering(numbering_root)
        try:
            styles_root = word.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles_root = None
        if styles_root is not None:
            self._load_styles(styles_root)

    def _load_numbering(self, root: Any) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        for a in root.iterchildren(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in a.iterchildren(qn("w:lvl")):
                levels[_int(lvl.get(qn("w:ilvl")), 0)] = _parse_level(lvl)
            abstract[a.get(qn("w:abstractNumId"), "")] = levels
        for num in root.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            base = abstract.get(ref.get(_W_VAL, "") if ref is not None else "", {})
            levels = {k: _Level(v.fmt, v.text, v.start) for k, v in base.items()}
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = _int(override.get(qn("w:ilvl")), 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _parse_level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    levels.setdefault(ilvl, _Level()).start = _int(start.get(_W_VAL), 1)
            self.levels[num.get(qn("w:numId"), "")] = levels

    def _load_styles(self, root: Any) -> None:
        based_on: dict[str, str] = {}
        direct: dict[str, tuple[str, int]] = {}
        for style in root.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            parent = style.find(qn("w:basedOn"))
            if parent is not None:
                based_on[style_id] = parent.get(_W_VAL, "")
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                if num_id is not None:
                    direct[style_id] = (num_id.get(_W_VAL, ""), _int_attr(num_pr, "w:ilvl", 0))
        for style_id in based_on.keys() | direct.keys():
            current, seen = style_id, 0
            while current and current not in direct and seen < 20:
                current, seen = based_on.get(current, ""), seen + 1
            if current in direct:
                self.style_num[style_id] = direct[current]

    def marker(self, p: Any) -> str:
        """The number Word shows before paragraph `p` (advancing the counters), or ""."""
        if not self.levels:
            return ""
        p_pr = p.find(qn("w:pPr"))
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        num_id: str | None = None
        ilvl = 0
        if num_pr is not None:
            ref = num_pr.find(qn("w:numId"))
            num_id = ref.get(_W_VAL) if ref is not None else None
            ilvl = _int_attr(num_pr, "w:ilvl", 0)
        if num_id is None and p_pr is not None:
            style = p_pr.find(qn("w:pStyle"))
            if style is not None and style.get(_W_VAL, "") in self.style_num:
                num_id, style_level = self.style_num[style.get(_W_VAL, "")]
                ilvl = _int_attr(num_pr, "w:ilvl", style_level) if num_pr is not None else style_level
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        marker = level.text
        for n in range(9):
            token = f"%{n + 1}"
            if token in marker:
                lvl = levels.get(n, _Level())
                marker = marker.replace(token, format_number(counters.get(n, lvl.start), lvl.fmt))
        marker = marker.strip()
        if not marker:
            return ""
        return marker if marker[-1] in ".．、,，)）:：]】" else marker + " "


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _parse_level(lvl: Any) -> _Level:
    fmt = lvl.find(qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    return _Level(
        fmt=fmt.get(_W_VAL, "decimal") if fmt is not None else "decimal",
        text=text.get(_W_VAL, "") if text is not None else "",
        start=_int_attr(lvl, "w:start", 1),
    )


_ZH_DIGITS = "〇一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def chinese_number(n: int, digits: str = _ZH_DIGITS, units: str = "十百千") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    places = [(1000, units[2]), (100, units[1]), (10, units[0]), (1, "")]
    zero_pending = False
    for value, unit in places:
        digit = n // value % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if not (digit == 1 and value == 10 and not parts):
            parts.append(digits[digit])
        parts.append(unit)
    return "".join(parts)


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats (ST_NumberFormat)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "japaneseCounting"):
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "koreanLegal"):
        return chinese_number(n, _ZH_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_ZH_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _EARTHLY_BRANCHES[n - 1]
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


__all__ = ["Numbering", "chinese_number", "format_number", "paragraph_text", "read"]
