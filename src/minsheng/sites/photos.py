"""Photo checks (照片核验): EXIF capture time and GPS kept for reviewers, a perceptual hash, and flags.

Evidence processing strips every photo's metadata for the copies others see; the original (kept for the
office) still has it, and this module reads it when the evidence row is first saved (a `post_save` hook,
inside the upload's transaction). Flags:

- `before_period`: taken before the report's period started (an old photo passed off as new);
- `far`: taken farther than `MINSHENG_PHOTO_MAX_DISTANCE_KM` (2 km) from every site of the item;
- `duplicate`: its difference hash (dHash) is within `MINSHENG_PHOTO_DUPLICATE_BITS` (8 of 64) of a photo
  in another report of the same region.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageStat, UnidentifiedImageError

from minsheng.sites.choices import PhotoFlag
from minsheng.sites.geo import distance_km

logger = logging.getLogger(__name__)

DEFAULT_MAX_DISTANCE_KM = 2.0
DEFAULT_DUPLICATE_BITS = 8
# A nearly blank picture (a grey card, a black frame) hashes alike whatever it shows: no duplicate check.
MIN_CONTRAST = 2.0
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_DATETIME = 0x0132


def max_distance_km() -> float:
    """`MINSHENG_PHOTO_MAX_DISTANCE_KM`, 2 km by default."""
    return float(getattr(settings, "MINSHENG_PHOTO_MAX_DISTANCE_KM", DEFAULT_MAX_DISTANCE_KM))


def duplicate_bits() -> int:
    """`MINSHENG_PHOTO_DUPLICATE_BITS`: hashes this many bits apart or fewer are near-duplicates."""
    return int(getattr(settings, "MINSHENG_PHOTO_DUPLICATE_BITS", DEFAULT_DUPLICATE_BITS))


def _degrees(value: Any) -> float:
    d, m, s = (float(part) for part in value)
    return d + m / 60 + s / 3600


def _exif_time(exif: Image.Exif) -> dt.datetime | None:
    sub = exif.get_ifd(_EXIF_IFD)
    for raw in (sub.get(_DATETIME_ORIGINAL), sub.get(_DATETIME_DIGITIZED), exif.get(_DATETIME)):
        if not raw:
            continue
        try:
            naive = dt.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
        except ValueError:
            continue
        # EXIF times are the camera's local time without a zone: read them in the server's zone.
        return timezone.make_aware(naive, timezone.get_default_timezone())
    return None


def _exif_gps(exif: Image.Exif) -> tuple[float, float] | None:
    gps = exif.get_ifd(_GPS_IFD)
    try:
        lat, lon = _degrees(gps[2]), _degrees(gps[4])
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if str(gps.get(1, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(3, "E")).upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lon, lat


def dhash(image: Image.Image, size: int = 8) -> int | None:
    """The 64-bit difference hash: each bit says whether a pixel is brighter than its right neighbour
    on a (size+1)×size grey thumbnail. None for a nearly blank picture."""
    grey = image.convert("L")
    if ImageStat.Stat(grey).stddev[0] < MIN_CONTRAST:
        return None
    small = grey.resize((size + 1, size), Image.Resampling.LANCZOS)
    pixels = small.load()
    bits = 0
    for row in range(size):
        for col in range(size):
            left, right = pixels[col, row], pixels[col + 1, row]  # type: ignore[index]
            bits = (bits << 1) | (1 if left > right else 0)  # type: ignore[operator]
    return bits


def to_signed(bits: int) -> int:
    """A 64-bit hash as the signed integer a BigIntegerField stores."""
    return bits - (1 << 64) if bits >= 1 << 63 else bits


def hamming(a: int, b: int) -> int:
    """Bits that differ between two stored (signed) hashes."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def read_photo(data: bytes) -> tuple[dt.datetime | None, tuple[float, float] | None, int | None]:
    """Capture time, (longitude, latitude) and dHash of a photo's bytes; Nones when it has no such data."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        taken_at = _exif_time(exif)
        point = _exif_gps(exif)
        image.draft("L", (64, 64))  # JPEG: decode at a fraction of the size, enough for the hash
        image.load()
        digest = dhash(image)
    return taken_at, point, None if digest is None else to_signed(digest)


def evidence_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """`post_save` of progress.Evidence: check a new photo (a failure to read it never blocks the upload)."""
    if raw or not created or not instance.is_image or not instance.original:
        return
    try:
        with instance.original.open("rb") as handle:
            data = handle.read()
        taken_at, point, digest = read_photo(data)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        logger.warning("photo check: cannot read evidence %s", instance.pk, exc_info=True)
        taken_at, point, digest = None, None, None
    photo_check_store(instance, taken_at=taken_at, point=point, digest=digest)


def photo_check_store(
    evidence: Any, *, taken_at: dt.datetime | None, point: tuple[float, float] | None, digest: int | None
) -> Any:
    """Compute the flags of one photo and store its PhotoCheck (part of the upload's transaction), and
    touch its report: the review queue card shows the check."""
    from minsheng.progress.models import Evidence
    from minsheng.progress.services import reports_touch
    from minsheng.sites.models import PhotoCheck, Site

    report = evidence.report
    flags: list[str] = []
    if taken_at is not None and timezone.localtime(taken_at).date() < report.period.start:
        flags.append(PhotoFlag.BEFORE_PERIOD)
    nearest: float | None = None
    if point is not None:
        sites = Site.objects.filter(item_id=report.item_id, latitude__isnull=False).values_list(
            "longitude", "latitude"
        )
        distances = [
            distance_km(point[0], point[1], float(lon), float(lat))
            for lon, lat in sites
            if lon is not None and lat is not None
        ]
        if distances:
            nearest = min(distances)
            if nearest > max_distance_km():
                flags.append(PhotoFlag.FAR)
    duplicate_of = None
    if digest is not None:
        region_id = report.period.plan.region_id
        candidates = (
            PhotoCheck.objects.filter(evidence__report__item__project__plan__region_id=region_id)
            .filter(dhash__isnull=False)
            .exclude(evidence__report_id=report.pk)
            .values_list("evidence_id", "dhash")
            .order_by("evidence_id")
        )
        limit = duplicate_bits()
        best: tuple[int, int] | None = None
        for evidence_id, other in candidates:
            if other is None:
                continue
            bits = hamming(digest, other)
            if bits <= limit and (best is None or bits < best[0]):
                best = (bits, evidence_id)
        if best is not None:
            duplicate_of = Evidence(pk=best[1])
            flags.append(PhotoFlag.DUPLICATE)
    reports_touch([report.pk])
    return PhotoCheck.objects.create(
        evidence=evidence,
        taken_at=taken_at,
        longitude=None if point is None else Decimal(f"{point[0]:.6f}"),
        latitude=None if point is None else Decimal(f"{point[1]:.6f}"),
        dhash=digest,
        distance_km=None if nearest is None else Decimal(f"{nearest:.3f}"),
        duplicate_of=duplicate_of,
        flags=flags,
    )
