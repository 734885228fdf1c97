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
from minsheng.parsing.layout.columns import column_key
from minsheng.parsing.readers.cells import (
    Chunk,
    fit_rows_to_header,
    is_spaced_header,
    read_cell_chunks,
    read_spaced_rows,
)

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
    if stripped.startswith("\t") or "\t" not in stripped:
        return False
    if stripped.count("\t") >= 2:
        return True
    # two columns (`序号<tab>主要内容`): only a header row of labels starts such a table
    cells = [c.strip() for c in stripped.split("\t")]
    return column_key(cells[0]) == "no" and column_key(cells[1]) is not None


def document_from_text(text: str, name: str = "<text>") -> Document:
    """Turn decoded text into paragraphs and tables (see the module docstring for the shapes)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = _strip_cell_bars(text.split("\n"))
    blocks: list[Paragraph | Table] = []
    chunks: list[Chunk] = []  # plain lines, grouped by blank lines, not yet turned into blocks
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
        elif is_spaced_header(line):
            reader = read_spaced_rows
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
        chunks.append(Chunk(start + 1, group))
    blocks.extend(_plain_blocks(chunks, counter))
    return Document(blocks=blocks, name=name)


def _starts_table(line: str) -> bool:
    return (
        line.startswith("\t")
        or _is_pipe_row(line.replace("｜", "|"))
        or _is_tsv_row(line)
        or is_spaced_header(line)
    )


_CELL_BAR = re.compile(r"\s*[|｜]\s*$")
_BARS_ONLY = re.compile(r"^\s*[|｜]{1,2}\s*$")
_MIN_BAR_RUN = 5


def _strip_cell_bars(lines: list[str]) -> list[str]:
    """A table copied one cell per line with a bar after each cell (`序号 |`, `城管局 |`): the bars go,
    a line of bars alone is an empty cell (written `—`). Only in runs of such lines, so a lone line
    ending in `|` is kept as written."""
    out = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while (
            j < len(lines) and _CELL_BAR.search(lines[j]) and lines[j].count("|") + lines[j].count("｜") <= 2
        ):
            j += 1
        if j - i >= _MIN_BAR_RUN:
            for k in range(i, j):
                out[k] = "—" if _BARS_ONLY.match(lines[k]) else _CELL_BAR.sub("", lines[k])
        i = max(j, i + 1)
    return out


def _split_at_header(chunks: list[Chunk]) -> list[Chunk]:
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
            out += [Chunk(c.start, c.lines[:cut]), Chunk(c.start + cut, c.lines[cut:])]
    return out


def _plain_blocks(chunks: list[Chunk], counter: list[int]) -> list[Paragraph | Table]:
    chunks = _split_at_header(chunks)
    out: list[Paragraph | Table] = []
    i = 0
    while i < len(chunks):
        if column_key(chunks[i].text) == "no":
            found = read_cell_chunks(chunks, i, counter[0] + 1)
            if found is not None:
                table, i = found
                counter[0] += 1
                out.append(table)
                continue
        if len(chunks[i].lines) >= 3 and column_key(chunks[i].lines[0]) == "no":
            # One cell per line without blank lines between the cells: read every line as a chunk.
            lines = [Chunk(c.start + k, [t]) for c in chunks[i:] for k, t in enumerate(c.lines)]
            found = read_cell_chunks(lines, 0, counter[0] + 1)
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
    """One row per line (pipe or tab separated); blank lines inside the run are skipped. Tabs used to
    line columns up (runs of tabs, as many as the text is short) separate cells by runs: the cells are
    then fitted to the header by what they hold."""
    runs = not pipe and "\t\t" in lines[start].strip("\t\n")
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
            if runs:
                texts = [c.strip() for c in re.split(r"\t+", line.strip("\t\n"))]
            else:
                texts = [c.strip() for c in line.strip("\n").split("\t")]
        table.rows.append(Row(cells=[Cell(text=t) for t in texts], location=f"line {i + 1}"))
        i += 1
    if runs and table.rows:
        fit_rows_to_header(table)
    return table, i
