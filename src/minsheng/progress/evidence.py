"""Evidence files (佐证材料): recognise the type by content, make a clean public copy and a thumbnail.

Accepted: JPEG, PNG, HEIC/HEIF (when `pillow_heif` is installed), PDF, Word (.docx) and Excel (.xlsx).
The extension is never trusted. Images are decoded and re-encoded without metadata (EXIF: GPS, camera,
time), long edge at most 2,000 px, for everyone outside the office; the original is kept unchanged for
reviewers and only ever served as a download (attachment, nosniff).

Refused: HTML or script anywhere in an image or PDF (polyglots, HTML appended to a JPEG); PDFs with
JavaScript, automatic actions (/OpenAction, /AA), /Launch or embedded files, also inside compressed
streams; Office files inflating past `MINSHENG_EVIDENCE_MAX_INFLATED_BYTES` (zip bombs) or with macros;
and, when `MINSHENG_CLAMD_SOCKET` is set, whatever ClamAV reports (fail closed when it does not answer).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
THUMBNAIL_SIZE = (320, 320)
PUBLIC_LONG_EDGE = 2000
DEFAULT_MAX_INFLATED_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_FILES_PER_REPORT = 20
DEFAULT_MAX_BYTES_PER_REPORT = 100 * 1024 * 1024
# What a browser would run if it ever rendered the bytes as a page.
# Searched in the lower-cased file: a pattern that starts with a literal scans a phone photo in a few
# milliseconds, where one case-insensitive alternation took ≈ 40 ms of the upload's request.
_HTML_TAG = re.compile(rb"<\s*(?:html|script|body|iframe|svg|object|embed|!doctype)\b")
_SCRIPT_URL = b"javascript:"
# PDF names (ISO 32000) that run code or act on opening; names may hide letters as #xx escapes.
_PDF_ACTIVE = {
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
    b"SubmitForm",
    b"ImportData",
}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_OPEN_ACTION = re.compile(rb"/OpenAction\s*(\S)")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.DOTALL)
# Pillow's own limit guards against decompression bombs; we turn its warning into a refusal.
MAX_PIXELS = 80_000_000

try:  # HEIC needs the optional pillow-heif decoder.
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the installation
    HEIC_SUPPORTED = False

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


@dataclass(frozen=True)
class Kind:
    """A recognised file type."""

    content_type: str
    extension: str
    image: bool = False


JPEG = Kind("image/jpeg", ".jpg", image=True)
PNG = Kind("image/png", ".png", image=True)
HEIC = Kind("image/heic", ".heic", image=True)
PDF = Kind("application/pdf", ".pdf")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")


@dataclass(frozen=True)
class Processed:
    """What is stored for an upload: the original bytes, and for images a clean copy and a thumbnail."""

    kind: Kind
    original: bytes
    sha256: str
    public_copy: bytes | None = None
    thumbnail: bytes | None = None


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_files_per_report() -> int:
    """Quota: files one report may hold (`MINSHENG_EVIDENCE_MAX_FILES`, 20)."""
    return _setting("MINSHENG_EVIDENCE_MAX_FILES", DEFAULT_MAX_FILES_PER_REPORT)


def max_bytes_per_report() -> int:
    """Quota: bytes one report may hold (`MINSHENG_EVIDENCE_MAX_REPORT_BYTES`, 100 MB)."""
    return _setting("MINSHENG_EVIDENCE_MAX_REPORT_BYTES", DEFAULT_MAX_BYTES_PER_REPORT)


def max_bytes() -> int:
    """The upload limit: setting `MINSHENG_EVIDENCE_MAX_BYTES`, 20 MB by default."""
    return int(getattr(settings, "MINSHENG_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> Kind | None:
    """The file type from the first bytes (and the zip directory for Office files)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        return PDF
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def read_upload(upload: object, name: str) -> bytes:
    """All bytes of an uploaded file, refusing empty and oversized files before reading everything."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationFailed(_too_big(name, size, limit), field="file")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise ValidationFailed(_too_big(name, len(data), limit), field="file")
    if not data:
        raise ValidationFailed(_("“%s” is empty.") % name, field="file")
    return data


def human_size(size: int) -> str:
    """12.3 MB, 850 KB, 20 B."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def _too_big(name: str, size: int, limit: int) -> str:
    return _("“%(name)s” is %(size)s; the limit is %(limit)s.") % {
        "name": name,
        "size": human_size(size),
        "limit": human_size(limit),
    }


def process(data: bytes, name: str, *, derive: bool = True) -> Processed:
    """Check the content and prepare what to store. Raises ValidationFailed with a clear message.

    `derive=False`: a photo is checked (type, markup, a readable header, the pixel limit) but its clean copy
    and thumbnail are left for the task runner (`derive_copies`, progress.tasks)."""
    scan_for_malware(data, name)
    kind = sniff(data)
    if kind is None:
        raise ValidationFailed(
            _(
                "“%s” is not a photo (JPEG, PNG, HEIC) or a PDF, Word or Excel document, whatever its "
                "name says."
            )
            % name,
            field="file",
        )
    if kind is HEIC and not HEIC_SUPPORTED:
        raise ValidationFailed(
            _("“%s” is a HEIC photo, which this server cannot read; send it as JPEG.") % name, field="file"
        )
    digest = hashlib.sha256(data).hexdigest()
    if kind.image or kind is PDF:
        _refuse_markup(data, name)
    if not kind.image:
        if kind is PDF:
            if b"%%EOF" not in data[-2048:]:
                raise ValidationFailed(_("“%s” is a damaged or incomplete PDF.") % name, field="file")
            _refuse_active_pdf(data, name)
        else:
            _refuse_zip_bomb(data, name)
        return Processed(kind, data, digest)
    if not derive:
        _check_image(data, name)
        return Processed(kind, data, digest)
    public_copy, thumbnail = _clean_image(data, name, kind)
    return Processed(kind, data, digest, public_copy, thumbnail)


def derive_copies(data: bytes, name: str) -> tuple[Kind, bytes, bytes]:
    """The clean copy (upright, no metadata, ≤ PUBLIC_LONG_EDGE) and the thumbnail of a stored photo:
    the heavy part of an upload, run by the task runner. Raises ValidationFailed for a damaged image."""
    kind = sniff(data)
    if kind is None or not kind.image:
        raise ValidationFailed(_("“%s” is not a photo.") % name, field="file")
    public_copy, thumbnail = _clean_image(data, name, kind)
    return kind, public_copy, thumbnail


def _check_image(data: bytes, name: str) -> None:
    """What can be refused at once, cheaply: an unreadable header or too many pixels."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("“%s” has too many pixels.") % name, field="file")
            probe.verify()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(_("“%s” is a damaged image.") % name, field="file") from None


def _decode_reduced(image: Image.Image) -> None:
    """A JPEG larger than the public copy is decoded at 1/2, 1/4 or 1/8 of its size when that still
    gives the copy its long edge (the decoder scales for free): a phone's 4000 × 3000 photo decodes as
    2000 × 1500, a quarter of the pixels, before it is resized anyway."""
    if image.format != "JPEG" or max(image.size) <= PUBLIC_LONG_EDGE:
        return
    width, height = image.size
    scale = PUBLIC_LONG_EDGE / max(width, height)
    image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))


def _in_mode(image: Image.Image, mode: str) -> Image.Image:
    """`image` in `mode`: itself when it is (convert would copy a 12-megapixel image for nothing)."""
    return image if image.mode == mode else image.convert(mode)


def _clean_image(data: bytes, name: str, kind: Kind) -> tuple[bytes, bytes]:
    """Decode, turn upright, re-encode without metadata; and a small JPEG thumbnail."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("“%s” has too many pixels.") % name, field="file")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            _decode_reduced(image)
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(_("“%s” is a damaged image.") % name, field="file") from None
    keep_alpha = kind is PNG and upright.mode in ("RGBA", "LA", "P")
    clean = _in_mode(upright, "RGBA" if keep_alpha else "RGB")
    # A fresh image carries no info dict: no EXIF, XMP, ICC comments or text chunks survive.
    bare = Image.new(clean.mode, clean.size)
    bare.paste(clean)
    if max(bare.size) > PUBLIC_LONG_EDGE:
        bare.thumbnail((PUBLIC_LONG_EDGE, PUBLIC_LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind is PNG:
        bare.save(out, format="PNG", optimize=True)
    else:
        _in_mode(bare, "RGB").save(out, format="JPEG", quality=88)
    thumb = _in_mode(bare, "RGB")  # the copy is written: the thumbnail may be made from it in place
    thumb.thumbnail(THUMBNAIL_SIZE)
    small = io.BytesIO()
    thumb.save(small, format="JPEG", quality=80)
    return out.getvalue(), small.getvalue()


def public_kind(kind: Kind) -> Kind:
    """The type of the public copy: HEIC photos become JPEG."""
    return JPEG if kind is HEIC else kind


def _refuse_markup(data: bytes, name: str) -> None:
    """HTML or script in a photo or PDF: a polyglot meant to run if a browser ever renders it."""
    lowered = data.lower()  # ASCII only, as re.IGNORECASE on bytes
    if _SCRIPT_URL in lowered or _HTML_TAG.search(lowered):
        raise ValidationFailed(
            _("“%s” contains web-page code (HTML or script) and is refused.") % name, field="file"
        )


def _pdf_names(chunk: bytes) -> set[bytes]:
    """Active names in a piece of PDF. An /OpenAction that is only a page to open at ([3 0 R /Fit], as
    most PDF writers add) is harmless; as an action (a dictionary or a reference) it counts."""
    plain = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), chunk)
    found = set(_PDF_NAME.findall(plain)) & _PDF_ACTIVE
    if b"OpenAction" in found and all(m.group(1) == b"[" for m in _PDF_OPEN_ACTION.finditer(plain)):
        found.discard(b"OpenAction")
    return found


def _refuse_active_pdf(data: bytes, name: str) -> None:
    """JavaScript, actions on opening, launching programs or embedded files, in the open or in streams."""
    found = _pdf_names(data)
    budget = _setting("MINSHENG_EVIDENCE_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES)
    for match in _PDF_STREAM.finditer(data):
        if found or budget <= 0:
            break
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate (images, fonts): nothing a reader would parse as objects
        budget -= len(inflated)
        found |= _pdf_names(inflated)
    if budget <= 0:
        raise ValidationFailed(_("“%s” expands to too much data and is refused.") % name, field="file")
    if found:
        raise ValidationFailed(
            _("“%(name)s” contains active content (%(what)s); save it again as a plain PDF.")
            % {"name": name, "what": ", ".join(sorted("/" + n.decode("latin-1") for n in found))},
            field="file",
        )


def _refuse_zip_bomb(data: bytes, name: str) -> None:
    """Inflate every member with a cap: declared sizes can lie, so the bytes are counted as they come."""
    limit = _setting("MINSHENG_EVIDENCE_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES)
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > 10_000:
                raise ValidationFailed(_("“%s” holds too many parts.") % name, field="file")
            for info in members:
                if info.filename.lower().endswith("vbaproject.bin"):
                    raise ValidationFailed(_("“%s” contains macros and is refused.") % name, field="file")
                with archive.open(info) as member:
                    while block := member.read(1 << 20):
                        total += len(block)
                        if total > limit:
                            raise ValidationFailed(
                                _("“%(name)s” expands to more than %(limit)s and is refused.")
                                % {"name": name, "limit": human_size(limit)},
                                field="file",
                            )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise ValidationFailed(_("“%s” is a damaged document.") % name, field="file") from None


def _clamd_address() -> str:
    return str(getattr(settings, "MINSHENG_CLAMD_SOCKET", "") or "")


def clamd_scan(data: bytes, address: str, *, timeout: float = 30.0) -> str | None:
    """Ask clamd (INSTREAM) about `data`: None when clean, else the signature name.

    `address` is a Unix socket path or host:port. Raises OSError when clamd does not answer.
    """
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: Any = address
    else:
        host, _sep, port = address.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host or "127.0.0.1", int(port))
    with sock:
        sock.settimeout(timeout)
        sock.connect(target)
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), 1 << 16):
            chunk = data[start : start + (1 << 16)]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            block = sock.recv(4096)
            if not block:
                break
            reply += block
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip()
    raise OSError(f"clamd answered {text!r}")


def scan_for_malware(data: bytes, name: str) -> None:
    """ClamAV, when `MINSHENG_CLAMD_SOCKET` is set. A scanner that does not answer refuses the file."""
    address = _clamd_address()
    if not address:
        return
    try:
        signature = clamd_scan(data, address)
    except (OSError, ValueError):
        raise ValidationFailed(
            _("The virus scanner did not answer; “%s” was not stored. Try again later.") % name, field="file"
        ) from None
    if signature:
        raise ValidationFailed(
            _("“%(name)s” was refused by the virus scanner (%(signature)s).")
            % {"name": name, "signature": signature},
            field="file",
        )


@transaction.atomic
def original_download_record(*, acting_user: Any, evidence: Any) -> None:
    """Audit one download of an original file (it may carry GPS and camera data)."""
    audit_record(
        actor=acting_user,
        action=Action.DOWNLOAD,
        obj=evidence,
        plan=evidence.report.item.project.plan,
        object_repr=evidence.original_name,
        message=f"original evidence {evidence.original_name} ({evidence.sha256[:12]})",
    )
