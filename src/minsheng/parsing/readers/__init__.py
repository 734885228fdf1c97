"""Readers: turn a file of any supported format into a `Document` (paragraphs and tables).

`read_path` and `read_bytes` pick the reader from the content (see `detect.py`), apply the limits in
`minsheng.parsing.limits`, and turn every failure into a `ParseError` naming the file, the place and
the reason. Each format lives in its own module with one function `read(data, name) -> Document`.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from pathlib import Path

from minsheng.parsing import limits
from minsheng.parsing.blocks import Document, Paragraph, Table
from minsheng.parsing.errors import ParseError
from minsheng.parsing.readers import detect

__all__ = ["read_bytes", "read_path"]

_KIND_NAMES = {
    detect.DOCX: "a Word document (.docx)",
    detect.XLSX: "an Excel workbook (.xlsx)",
    detect.PDF: "a PDF",
    detect.HTML: "a web page",
    detect.MHTML: "a saved web page (.mht)",
    detect.OFFICE_WORD: "an old-format Word/WPS document",
    detect.OFFICE_SHEET: "an old-format Excel/WPS spreadsheet",
    detect.TEXT: "a text file",
}


def read_path(path: Path) -> Document:
    """Read the file at `path`. Its size is checked before anything is read."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"cannot open the file: {exc.strerror or exc}", file=name) from exc
    if path.is_dir():
        raise ParseError("this is a folder, not a file", file=name)
    _check_size(size, name)
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}", file=name) from exc
    return read_bytes(data, name=name)


def read_bytes(data: bytes, name: str) -> Document:
    """Read a file given as bytes; `name` is used in messages and as a hint for old Office formats."""
    _check_size(len(data), name)
    kind = detect.detect(data, name)
    reader = _reader(kind)
    try:
        document = reader(data, name)
    except ParseError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError(
            f"the document is too large or too deeply nested to read ({type(exc).__name__})", file=name
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise ParseError(f"the file is damaged: {exc}", file=name) from exc
    except Exception as exc:  # the format library's own error on a malformed file
        raise ParseError(
            f"cannot read {_KIND_NAMES.get(kind, 'the file')}: it is damaged or not valid "
            f"({type(exc).__name__}: {exc})",
            file=name,
        ) from exc
    _check_text(document)
    return document


def _check_size(size: int, name: str) -> None:
    if size > limits.MAX_FILE_BYTES:
        raise ParseError(
            f"the file is {size / limits.MB:.0f} MB, larger than the limit of "
            f"{limits.MAX_FILE_BYTES // limits.MB} MB; a list is far smaller — is this the right file?",
            file=name,
        )


def _check_text(document: Document) -> None:
    total = 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            total += len(block.text)
        elif isinstance(block, Table):
            total += sum(len(c.text) for r in block.rows for c in r.cells)
        if total > limits.MAX_TEXT_CHARS:
            raise ParseError(
                f"the document has more than {limits.MAX_TEXT_CHARS:,} characters of text (the limit)",
                file=document.name,
            )


def _read_text(data: bytes, name: str) -> Document:
    from minsheng.parsing.readers.text import decode_text, document_from_text

    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark ("Unicode" in Notepad)
        text = data.decode("utf-16", errors="replace")
    else:
        text = decode_text(data, name)
    if len(text) > limits.MAX_TEXT_CHARS:
        raise ParseError(
            f"the text has {len(text):,} characters, more than the limit of {limits.MAX_TEXT_CHARS:,}",
            file=name,
        )
    return document_from_text(text, name)


# kind -> (module in this package, function); modules are imported on first use
_READERS = {
    detect.DOCX: ("docx", "read"),
    detect.XLSX: ("xlsx", "read"),
    detect.PDF: ("pdf", "read"),
    detect.HTML: ("html", "read"),
    detect.MHTML: ("html", "read_mhtml"),
    detect.OFFICE_WORD: ("office", "read_word"),
    detect.OFFICE_SHEET: ("office", "read_sheet"),
}


def _reader(kind: str) -> Callable[[bytes, str], Document]:
    if kind not in _READERS:
        return _read_text
    module, function = _READERS[kind]
    reader: Callable[[bytes, str], Document] = getattr(
        importlib.import_module(f"{__name__}.{module}"), function
    )
    return reader
