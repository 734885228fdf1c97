"""Evidence files (佐证材料): recognise the type by content, make a clean public copy and a thumbnail.

Accepted: JPEG, PNG, HEIC/HEIF (when `pillow_heif` is installed), PDF, Word (.docx) and Excel (.xlsx).
The extension is never trusted. Images are decoded and re-encoded without metadata (EXIF: GPS, camera,
time) for everyone outside the office; the original is kept unchanged for reviewers.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from minsheng.core.exceptions import ValidationFailed

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
THUMBNAIL_SIZE = (320, 320)
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


def process(data: bytes, name: str) -> Processed:
    """Check the content and prepare what to store. Raises ValidationFailed with a clear message."""
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
    if not kind.image:
        if kind is PDF and b"%%EOF" not in data[-2048:]:
            raise ValidationFailed(_("“%s” is a damaged or incomplete PDF.") % name, field="file")
        return Processed(kind, data, digest)
    public_copy, thumbnail = _clean_image(data, name, kind)
    return Processed(kind, data, digest, public_copy, thumbnail)


def _clean_image(data: bytes, name: str, kind: Kind) -> tuple[bytes, bytes]:
    """Decode, turn upright, re-encode without metadata; and a small JPEG thumbnail."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("“%s” has too many pixels.") % name, field="file")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(_("“%s” is a damaged image.") % name, field="file") from None
    keep_alpha = kind is PNG and upright.mode in ("RGBA", "LA", "P")
    clean = upright.convert("RGBA" if keep_alpha else "RGB")
    # A fresh image carries no info dict: no EXIF, XMP, ICC comments or text chunks survive.
    bare = Image.new(clean.mode, clean.size)
    bare.paste(clean)
    out = io.BytesIO()
    if kind is PNG:
        bare.save(out, format="PNG", optimize=True)
    else:
        bare.convert("RGB").save(out, format="JPEG", quality=88)
    thumb = bare.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    small = io.BytesIO()
    thumb.save(small, format="JPEG", quality=80)
    return out.getvalue(), small.getvalue()


def public_kind(kind: Kind) -> Kind:
    """The type of the public copy: HEIC photos become JPEG."""
    return JPEG if kind is HEIC else kind
