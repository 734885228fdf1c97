"""Format detection from the file's content (magic bytes, container parts, markup), not its name.

Offices rename files freely (a .doc that is really HTML, a .xls that is an .xlsx, a .txt that is a
Word file), so the extension is only a hint where the content is ambiguous.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from minsheng.parsing.errors import ParseError

DOCX = "docx"
XLSX = "xlsx"
PDF = "pdf"
HTML = "html"
MHTML = "mhtml"
TEXT = "text"
OFFICE_WORD = "office-word"  # .doc / .wps / .rtf / Word 2003 XML / .odt: converted by LibreOffice
OFFICE_SHEET = "office-sheet"  # .xls / .et / Excel 2003 XML / .ods: converted by LibreOffice

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ADVICE = "upload the list as a Word (.docx), Excel (.xlsx), PDF, web page or text file"

# (magic prefix, description) for files that are certainly not a list.
_NOT_A_LIST = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio/video file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"%!PS", "a PostScript file"),
]


def _utf16_le(text: str) -> bytes:
    return text.encode("utf-16-le")


def describe_ole(data: bytes) -> str:
    """Which kind of OLE2 (Compound File) document this is, from the stream names in its directory."""
    if _utf16_le("EncryptedPackage") in data or _utf16_le("EncryptionInfo") in data:
        return "encrypted"
    if _utf16_le("WordDocument") in data:
        return OFFICE_WORD
    if _utf16_le("Workbook") in data or _utf16_le("Book") in data:
        return OFFICE_SHEET
    return "ole-other"


def _zip_kind(data: bytes) -> tuple[str, set[str]]:
    """The kind of an intact zip container, from its part names."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        mimetype = ""
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace")
    if "word/document.xml" in names:
        return DOCX, names
    if "xl/workbook.xml" in names:
        return XLSX, names
    if mimetype == "application/vnd.oasis.opendocument.text":
        return OFFICE_WORD, names
    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
        return OFFICE_SHEET, names
    return "zip", names


def _guess_truncated_zip(data: bytes, name: str) -> str:
    """Name the Office kind of a damaged zip from the part names in its local headers, or the extension."""
    head = data[:200_000]
    if b"word/" in head:
        return "a Word document (.docx)"
    if b"xl/" in head:
        return "an Excel workbook (.xlsx)"
    suffix = PurePath(name).suffix.lower()
    if suffix in {".docx", ".docm", ".wps"}:
        return "a Word document (.docx)"
    if suffix in {".xlsx", ".xlsm", ".et"}:
        return "an Excel workbook (.xlsx)"
    return "a zip archive"


_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_HTML_TAGS = re.compile(rb"<(table|tr|td|p|div|br|span|h[1-6])\b[^>]*>", re.I)
_WORD_XML = re.compile(rb"<\?mso-application\s+progid=\"Word\.Document\"|<w:wordDocument\b")
_EXCEL_XML = re.compile(
    rb"<\?mso-application\s+progid=\"Excel\.Sheet\"|<ss:Workbook\b|<Workbook\s[^>]*urn:schemas-microsoft-com:office:spreadsheet"
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def detect(data: bytes, name: str) -> str:
    """Return the reader kind for `data`, or raise ParseError for content that cannot be a list."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ParseError("the file is empty", file=name)
    head = data[:8]
    if head.startswith(_OLE_MAGIC):
        kind = describe_ole(data)
        if kind == "encrypted":
            raise ParseError(
                "the file is password-protected (an encrypted Office document); open it, remove the "
                "password (File → Info → Protect → Encrypt) and save it again",
                file=name,
            )
        if kind == "ole-other":
            raise ParseError(
                f"this is an old-format Office file that is neither Word nor Excel; {_ADVICE}", file=name
            )
        return kind
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        try:
            kind, names = _zip_kind(data)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as exc:
            what = _guess_truncated_zip(data, name)
            raise ParseError(
                f"the file is damaged: it starts like {what} but its zip container is incomplete or "
                f"corrupted ({exc}); open it in Word/WPS/Excel, repair it and save it again",
                file=name,
            ) from exc
        if kind != "zip":
            return kind
        if "OFD.xml" in names:
            raise ParseError(
                f"this is an OFD document, not a list file; export it as PDF or Word, or {_ADVICE}", file=name
            )
        shown = ", ".join(sorted(names)[:5])
        raise ParseError(f"this is a zip archive ({shown}), not a list; unpack it and {_ADVICE}", file=name)
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise ParseError(f"this is a WebP image, not a list; {_ADVICE}", file=name)
    if data[:4] == b"RIFF":
        raise ParseError(f"this is a RIFF audio/video file, not a list; {_ADVICE}", file=name)
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        what = (
            "a HEIC image" if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif") else "a video (MP4/MOV)"
        )
        raise ParseError(f"this is {what}, not a list; {_ADVICE}", file=name)
    if data[:2] == b"BM" and len(data) > 14 and data[6:10] == b"\x00\x00\x00\x00":
        raise ParseError(f"this is a BMP image, not a list; {_ADVICE}", file=name)
    for magic, what in _NOT_A_LIST:
        if data.startswith(magic):
            raise ParseError(f"this is {what}, not a list; {_ADVICE}", file=name)
    if data.lstrip()[:5] == b"{\\rtf":
        return OFFICE_WORD
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _detect_utf16(data, name)
    sample = data[:65536]
    if b"MIME-Version:" in sample[:2048] and re.search(rb"Content-Type:\s*multipart/related", sample, re.I):
        return MHTML
    if _WORD_XML.search(sample):
        return OFFICE_WORD
    if _EXCEL_XML.search(sample):
        return OFFICE_SHEET
    if _HTML_START.match(sample.lstrip(b"\xef\xbb\xbf")) or len(_HTML_TAGS.findall(sample[:4096])) >= 3:
        return HTML
    if b"\x00" in sample or len(_CONTROL.findall(sample)) > max(4, len(sample) // 100):
        raise ParseError(f"this is binary data of an unknown kind, not a text list; {_ADVICE}", file=name)
    return TEXT


def _detect_utf16(data: bytes, name: str) -> str:
    """UTF-16 files (Windows "Unicode" text, some saved web pages) start with a byte-order mark."""
    text = data[:65536].decode("utf-16", errors="replace")
    stripped = text.lstrip("\ufeff \r\n\t").lower()
    if stripped.startswith(("<!doctype html", "<html")):
        return HTML
    return TEXT
