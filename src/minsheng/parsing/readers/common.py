"""Helpers shared by the binary readers: zip safety, limits, whitespace, split tables."""

from __future__ import annotations

import io
import re
import zipfile

from minsheng.parsing import limits
from minsheng.parsing.blocks import Block, Cell, Document, Paragraph, Row, Table
from minsheng.parsing.errors import ParseError


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """Open an Office Open XML container after checking it is whole and not a zip bomb.

    Python's zipfile stops decompressing a member at its declared size, so checking the declared
    sizes here bounds what the libraries will later inflate.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ParseError(
            f"the file is damaged: it starts like {kind} but its zip container is incomplete or corrupted "
            f"({exc}); open it in Word/WPS/Excel, repair it and save it again",
            file=name,
        ) from exc
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise ParseError(
            f"the zip container holds {len(infos)} parts, more than the limit of {limits.MAX_ZIP_MEMBERS}",
            file=name,
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.filename.endswith((".xml", ".rels")) and info.file_size > limits.MAX_XML_PART_BYTES:
            raise ParseError(
                f"part {info.filename!r} is {info.file_size // limits.MB} MB of XML, more than the limit of "
                f"{limits.MAX_XML_PART_BYTES // limits.MB} MB",
                file=name,
            )
        if info.file_size >= limits.ZIP_RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.MAX_ZIP_RATIO:
                raise ParseError(
                    f"refused as a possible zip bomb: part {info.filename!r} expands {ratio:.0f} times "
                    f"(limit {limits.MAX_ZIP_RATIO} times)",
                    file=name,
                )
    if total > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
        raise ParseError(
            f"refused as a possible zip bomb: the content expands to {total // limits.MB} MB "
            f"(limit {limits.MAX_ZIP_UNCOMPRESSED_BYTES // limits.MB} MB)",
            file=name,
        )
    return archive


class CellBudget:
    """Counts table cells and text as a reader produces them; refuses the document past the limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells = 0
        self.chars = 0

    def take_cells(self, count: int, location: str = "") -> None:
        self.cells += count
        if self.cells > limits.MAX_CELLS:
            raise ParseError(
                f"the document has more than {limits.MAX_CELLS:,} table cells (the limit); "
                "a livelihood-project list is far smaller — is this the right file?",
                file=self.name,
                location=location,
            )

    def take_text(self, text: str, location: str = "") -> None:
        self.chars += len(text)
        if self.chars > limits.MAX_TEXT_CHARS:
            raise ParseError(
                f"the document has more than {limits.MAX_TEXT_CHARS:,} characters of text (the limit)",
                file=self.name,
                location=location,
            )


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_SOURCE_BREAK = re.compile(r"[ \t\r\f\v\u00a0]*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u200b]+")


def _source_break(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return "" if _CJK.match(before) or _CJK.match(after) else " "


def tidy_inline(text: str) -> str:
    """Collapse layout whitespace. A line break in the source (HTML wraps its lines anywhere) next to a
    Chinese character is no space at all; spaces the author typed are kept, as one space."""
    text = _SOURCE_BREAK.sub(_source_break, text)
    return _SPACES.sub(" ", text).strip()


def tidy_lines(text: str) -> str:
    """`tidy_inline` per line, keeping meaningful line breaks and dropping empty lines."""
    lines = (tidy_inline(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_PAGE_FURNITURE = re.compile(
    r"^[\s\-—–－·•]*(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|page\s*\d+)[\s\-—–－·•]*$",
    re.IGNORECASE,
)


def is_page_furniture(text: str) -> bool:
    """A page number line such as "- 3 -", "— 3 —", "第3页 共5页", "3/5"."""
    return bool(_PAGE_FURNITURE.match(text.strip()))


def _width(table: Table) -> int:
    return max((len(r.cells) for r in table.rows), default=0)


def join_split_tables(blocks: list[Block]) -> list[Block]:
    """Join a table that continues a previous one after a page break.

    Word and PDF split long tables across pages; the continuation is a separate table with the same
    number of columns, often starting with the header row again. Tables separated only by blank lines
    or page numbers, with the same width, are one table; a repeated header row is dropped. A heading
    between two tables (e.g. a category) keeps them apart.
    """
    out: list[Block] = []
    pending: list[Block] = []  # blank/page-number paragraphs seen since the last table
    for block in blocks:
        if isinstance(block, Paragraph):
            if not block.text.strip() or is_page_furniture(block.text):
                pending.append(block)
            else:
                out.extend(pending)
                pending = []
                out.append(block)
            continue
        previous = out[-1] if out else None
        if (
            isinstance(previous, Table)
            and previous.rows
            and block.rows
            and _width(previous) == _width(block)
            and _width(block) > 1
        ):
            rows = block.rows
            if rows[0].texts == previous.rows[0].texts:
                rows = rows[1:]
            previous.rows.extend(rows)
            pending = []  # page numbers between the parts are page furniture
            continue
        out.extend(pending)
        pending = []
        out.append(block)
    out.extend(pending)
    return out


def drop_repeated_headers(table: Table) -> None:
    """Drop later copies of the table's first row (a header row repeated by hand on each page)."""
    if len(table.rows) < 2:
        return
    header = table.rows[0].texts
    if not any(t.strip() for t in header):
        return
    table.rows[1:] = [r for r in table.rows[1:] if r.texts != header]


_NOTE = re.compile(r"^\s*(备注|備註|附注|附註|注|註|说明|說明|填表|填报|制表|数据来源|资料来源)\s*[:：\d一]")


def trailing_notes(table: Table) -> list[Paragraph]:
    """Take the note rows off the foot of a table and return them as paragraphs.

    A row under the last data row that holds a single piece of text (备注：…, 注：…, a date and
    signature), usually one cell merged across the table, annotates the table; it is no entry."""
    notes: list[Paragraph] = []
    while len(table.rows) > 2:
        row = table.rows[-1]
        above = table.rows[-2]
        own = [c.text for c in row.cells if c.text.strip()]
        if len(own) != 1 or any(c.continued for c in row.cells):
            break  # a row inside merged cells belongs to the entry above
        merged_across = len(row.cells) < len(above.cells)
        if not (merged_across or (row.cells[0].text.strip() and _NOTE.match(row.cells[0].text))):
            break  # e.g. the last item of an entry whose other cells were left blank
        notes.insert(0, Paragraph(text=own[0], location=row.location))
        table.rows.pop()
    return notes


def split_notes(blocks: list[Block]) -> list[Block]:
    """Every table followed by its note rows as paragraphs (see `trailing_notes`)."""
    out: list[Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, Table):
            out.extend(trailing_notes(block))
    return out


def blank_row(row: Row) -> bool:
    """No text of its own (cells continuing a vertical merge from above do not count)."""
    return not any(c.text.strip() for c in row.cells if not c.continued)


def document(blocks: list[Block], name: str) -> Document:
    """The finished document, with an error when nothing readable came out of the file."""
    if not any(
        (isinstance(b, Paragraph) and b.text.strip()) or (isinstance(b, Table) and b.rows) for b in blocks
    ):
        raise ParseError("the file contains no text", file=name)
    return Document(blocks=blocks, name=name)


__all__ = [
    "Cell",
    "CellBudget",
    "blank_row",
    "document",
    "drop_repeated_headers",
    "is_page_furniture",
    "join_split_tables",
    "open_zip",
    "split_notes",
    "tidy_inline",
    "tidy_lines",
    "trailing_notes",
]
