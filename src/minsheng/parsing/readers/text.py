"""Plain text: decoding, and recognising tables that were flattened to text.

Lists reach us as text pasted from Word, Excel, PDFs or web pages. Four table shapes survive the
pasting and are turned back into `Table` blocks:

- tab cells (Word tables copied as text): a row is the run of lines between blank lines, each cell
  starts with a tab, a line without a leading tab continues the cell above;
- tab-separated rows (Excel copied as text): one row per line, cells separated by tabs;
- pipe rows (`a | b | c`, also Markdown tables), one row per line;
- one cell per line with blank lines between (`序号` / `项目名称` / … / `1` / `城市用气` / …): found
  from a run of header labels, rows start at the next serial number.

Everything else becomes `Paragraph` blocks, one per non-empty line, located as ``line N``.
"""

from __future__ import annotations

import codecs
import re

from minsheng.parsing.blocks import Cell, Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.layout.columns import column_key, is_header_label
from minsheng.parsing.normalize import fold

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, name: str = "<text>") -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16/32 with BOM, else GB18030 (covers GBK
    and GB2312). Binary data (NUL bytes, control characters) is refused with a ParseError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"the text is marked as {encoding.upper()} but is not valid {encoding.upper()}",
                    file=name,
                    location=f"byte {exc.start}",
                ) from exc
    sample = data[:4096]
    if b"\x00" in sample:
        raise ParseError("this is binary data, not text (it contains NUL bytes)", file=name)
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > 0.02:
        raise ParseError("this is binary data, not text (it contains control bytes)", file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ParseError(
            "the text is neither UTF-8 nor GB18030/GBK; save it as UTF-8 and try again",
            file=name,
            location=f"byte {exc.start}",
        ) from exc


def _is_blank(line: str) -> bool:
    return not line.strip(" \u3000\r\n\ufeff") and "\t" not in line


def _is_blank_text(line: str) -> bool:
    return not line.strip()


_PIPE_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|") and body.endswith("|") and len(body) > 1:
        body = body[1:-1]
    return [c.strip() for c in body.split("|")]


def _is_pipe_row(line: str) -> bool:
    return line.count("|") >= 2 or line.count("｜") >= 2


def _is_tsv_row(line: str) -> bool:
    stripped = line.strip("\r\n")
    return not stripped.startswith("\t") and stripped.count("\t") >= 2


def document_from_text(text: str, name: str = "<text>") -> Document:
    """Turn decoded text into paragraphs and tables (see the module docstring for the shapes)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks: list[Paragraph | Table] = []
    chunks: list[_Chunk] = []  # plain lines, grouped by blank lines, not yet turned into blocks
    counter = [0]
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_blank(line):
            i += 1
            continue
        reader = None
        if line.startswith("\t") and not _is_tsv_row(line):
            reader = _read_tab_cells
        elif _is_pipe_row(line.replace("｜", "|")):
            reader = _read_pipe_rows
        elif _is_tsv_row(line):
            reader = _read_tsv_rows
        if reader is not None:
            blocks.extend(_plain_blocks(chunks, counter))
            chunks = []
            counter[0] += 1
            table, i = reader(lines, i, counter[0])
            blocks.append(table)
            continue
        start = i
        group = []
        while i < n and not _is_blank(lines[i]) and not _starts_table(lines[i]):
            group.append(lines[i].strip())
            i += 1
        chunks.append(_Chunk(start + 1, group))
    blocks.extend(_plain_blocks(chunks, counter))
    return Document(blocks=blocks, name=name)


def _starts_table(line: str) -> bool:
    return line.startswith("\t") or _is_pipe_row(line.replace("｜", "|")) or _is_tsv_row(line)


class _Chunk:
    """Lines between blank lines: a paragraph run, or one cell of a table written one cell per line."""

    __slots__ = ("lines", "start")

    def __init__(self, start: int, lines: list[str]) -> None:
        self.start = start
        self.lines = lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _split_at_header(chunks: list[_Chunk]) -> list[_Chunk]:
    """A chunk in which a header (序号 followed by another label) starts after other lines is cut
    there, so that a table written one cell per line is found after a title without a blank line."""
    out = []
    for c in chunks:
        cut = next(
            (
                k
                for k in range(1, len(c.lines) - 2)
                if column_key(c.lines[k]) == "no" and column_key(c.lines[k + 1]) is not None
            ),
            None,
        )
        if cut is None:
            out.append(c)
        else:
            out += [_Chunk(c.start, c.lines[:cut]), _Chunk(c.start + cut, c.lines[cut:])]
    return out


def _plain_blocks(chunks: list[_Chunk], counter: list[int]) -> list[Paragraph | Table]:
    chunks = _split_at_header(chunks)
    out: list[Paragraph | Table] = []
    i = 0
    while i < len(chunks):
        if column_key(chunks[i].text) == "no":
            found = _read_cell_chunks(chunks, i, counter[0] + 1)
            if found is not None:
                table, i = found
                counter[0] += 1
                out.append(table)
                continue
        if len(chunks[i].lines) >= 3 and column_key(chunks[i].lines[0]) == "no":
            # One cell per line without blank lines between the cells: read every line as a chunk.
            lines = [_Chunk(c.start + k, [t]) for c in chunks[i:] for k, t in enumerate(c.lines)]
            found = _read_cell_chunks(lines, 0, counter[0] + 1)
            if found is not None:
                table, used = found
                counter[0] += 1
                out.append(table)
                out.extend(_plain_blocks(lines[used:], counter))
                return out
        chunk = chunks[i]
        out.extend(
            Paragraph(text=t, location=f"line {chunk.start + k}") for k, t in enumerate(chunk.lines) if t
        )
        i += 1
    return out


def _read_pipe_rows(lines: list[str], start: int, number: int) -> tuple[Table, int]:
    return _read_line_rows(lines, start, number, pipe=True)


def _read_tsv_rows(lines: list[str], start: int, number: int) -> tuple[Table, int]:
    return _read_line_rows(lines, start, number, pipe=False)


def _read_tab_cells(lines: list[str], start: int, number: int) -> tuple[Table, int]:
    """Rows of tab-started cells separated by blank lines; stops at a blank-separated chunk whose
    first line does not start with a tab."""
    table = Table(location=f"table {number} (line {start + 1})")
    i = start
    n = len(lines)
    while i < n:
        if _is_blank(lines[i]):
            i += 1
            continue
        if not lines[i].startswith("\t"):
            break
        row_start = i
        cells: list[list[str]] = []
        while i < n and not _is_blank(lines[i]):
            line = lines[i]
            if line.startswith("\t"):
                cells.append([line[1:]])
            else:
                cells[-1].append(line)
            i += 1
        table.rows.append(
            Row(
                cells=[Cell(text="\n".join(part.strip() for part in c).strip()) for c in cells],
                location=f"line {row_start + 1}",
            )
        )
    return table, i


def _read_line_rows(lines: list[str], start: int, number: int, *, pipe: bool) -> tuple[Table, int]:
    """One row per line (pipe or tab separated); blank lines inside the run are skipped."""
    table = Table(location=f"table {number} (line {start + 1})")
    i = start
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_blank(line):
            # A blank line ends the table unless the next non-blank line is another row.
            j = i + 1
            while j < n and _is_blank(lines[j]):
                j += 1
            if j < n and (_is_pipe_row(lines[j].replace("｜", "|")) if pipe else _is_tsv_row(lines[j])):
                i = j
                continue
            break
        if pipe:
            if not _is_pipe_row(line.replace("｜", "|")):
                break
            if _PIPE_SEPARATOR_ROW.match(line):
                i += 1
                continue
            texts = _pipe_cells(line.replace("｜", "|"))
        else:
            if "\t" not in line:
                break
            texts = [c.strip() for c in line.strip("\n").split("\t")]
        table.rows.append(Row(cells=[Cell(text=t) for t in texts], location=f"line {i + 1}"))
        i += 1
    return table, i


# --- one cell per line -------------------------------------------------------------------------


def _read_cell_chunks(chunks: list[_Chunk], start: int, number: int) -> tuple[Table, int] | None:
    """A table written one cell per chunk, starting at a 序号 chunk followed by more header labels.

    Header fragments broken over chunks (`责任` / `单位`, `当年投资` / `(万元)`) are joined while the
    joined text is a label; data rows start at the serial numbers 1, 2, 3 …"""
    header: list[str] = []
    i = start
    n = len(chunks)
    while i < n:
        t = chunks[i].text
        folded = fold(t).replace(" ", "").replace("\n", "")
        if re.fullmatch(r"\d+", folded):
            break
        if len(folded) > 24:
            return None
        if header and folded.startswith("(") and folded.endswith(")"):
            header[-1] = f"{header[-1]}\n{t}"  # a unit note: 总投资 / (万元)
        elif header and not is_header_label(header[-1]) and is_header_label(header[-1] + t):
            header[-1] = f"{header[-1]}\n{t}"  # 建设起 / 止年限
        elif header and folded in _LABEL_TAILS and is_header_label(header[-1] + t):
            header[-1] = f"{header[-1]}\n{t}"  # 责任 / 单位
        elif is_header_label(t) or _is_label_start(t):
            header.append(t)
        else:
            return None
        i += 1
    keys = [column_key(h.replace("\n", "")) for h in header]
    if len(header) < 3 or "name" not in keys or ("text" not in keys and "lead" not in keys):
        return None
    ncols = len(header)
    location = f"line {chunks[start].start}"
    table = Table(location=f"table {number} ({location})")
    table.rows.append(Row(cells=[Cell(text=h) for h in header], location=location))
    text_col = keys.index("text") if "text" in keys else None
    expected = 1
    while i < n and fold(chunks[i].text).strip() == str(expected):
        row_loc = f"line {chunks[i].start}"
        pieces = [chunks[i].text]
        i += 1
        while i < n:
            t = chunks[i].text
            if fold(t).strip() == str(expected + 1) and len(pieces) >= max(2, ncols // 2):
                break
            pieces.append(t)
            i += 1
        table.rows.append(
            Row(cells=[Cell(text=t) for t in _fit_pieces(pieces, ncols, text_col)], location=row_loc)
        )
        expected += 1
    if len(table.rows) < 2:
        return None
    return table, i


# Second halves of labels broken over lines (责任 / 单位); a fragment like 配合 starts a new label.
_LABEL_TAILS = {
    "单位",
    "部门",
    "来源",
    "年限",
    "止年限",
    "时限",
    "时间",
    "期限",
    "内容",
    "名称",
    "计划",
    "情况",
    "进度",
    "地点",
    "金额",
    "规模",
    "任务",
    "目标",
    "主体",
    "投资",
}


def _is_label_start(text: str) -> bool:
    """A header fragment that begins a label (`建设起`, `责任`, `资金`, `2023年度`)."""
    t = fold(text).replace(" ", "")
    return len(t) <= 8 and not re.search(r"[。,;:]", t)


def _fit_pieces(pieces: list[str], ncols: int, text_col: int | None) -> list[str]:
    """Fit a row's chunks to the header's columns: extra short chunks before the long text column are
    a cell broken over lines (a name like `城市用气` / `提升工程`), joined into one cell."""
    if len(pieces) <= ncols:
        return pieces
    extra = len(pieces) - ncols
    if text_col is not None:
        longest = max(range(len(pieces)), key=lambda k: len(pieces[k]))
        if longest > text_col:
            join = min(extra, longest - text_col)
            first = max(0, text_col - 1)
            pieces = [
                *pieces[:first],
                "\n".join(pieces[first : first + join + 1]),
                *pieces[first + join + 1 :],
            ]
            extra -= join
    if extra > 0:  # what is left over belongs to the last column (units broken over lines)
        pieces = [*pieces[: ncols - 1], "\n".join(pieces[ncols - 1 :])]
    return pieces
