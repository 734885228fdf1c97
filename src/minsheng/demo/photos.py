"""Demo site photos (现场照片): JPEGs drawn here so the demo needs no image files.

Each item and month gets its own scene (buildings, a crane, trees, laid out by a generator seeded with the
item and the period), so the photo checks' difference hashes differ far beyond the near-duplicate
threshold and a reviewer sees flags only where the demo means them: a photo reused from an earlier report,
and one taken far from the item's sites. Photos carry EXIF capture time and, when given, GPS, as a phone
camera writes them (the public copies have neither).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 640, 420
_GPS_IFD, _EXIF_IFD, _DATETIME_ORIGINAL = 0x8825, 0x8769, 0x9003


def _grey(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    """A colour whose brightness is drawn from [low, high]: brightness is what the hash sees."""
    level = rng.randint(low, high)
    return (
        max(0, min(255, level + rng.randint(-25, 25))),
        max(0, min(255, level + rng.randint(-25, 25))),
        max(0, min(255, level + rng.randint(-25, 25))),
    )


def draw_scene(seed: str) -> Image.Image:
    """A construction site scene laid out by `seed`: horizon, buildings, crane and trees all move with it."""
    rng = random.Random(seed)  # a str seed is hashed the same way on every run and machine
    image = Image.new("RGB", (WIDTH, HEIGHT), _grey(rng, 150, 235))
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(170, 330)
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=_grey(rng, 50, 130))  # ground
    # Buildings: alternately dark and light so neighbouring columns of the hash grid differ.
    for number in range(rng.randint(4, 7)):
        width = rng.randint(40, 160)
        left = rng.randint(-20, WIDTH - 40)
        top = rng.randint(30, horizon - 30)
        shade = (20, 110) if number % 2 else (160, 250)
        draw.rectangle((left, top, left + width, horizon), fill=_grey(rng, *shade))
        for row in range(top + 12, horizon - 12, 28):  # window rows
            draw.line((left + 8, row, left + width - 8, row), fill=_grey(rng, 60, 200), width=4)
    crane = rng.randint(40, WIDTH - 40)
    jib = rng.randint(20, 110)
    side = rng.choice((-1, 1))
    yellow = (230, 180, 30)
    draw.line((crane, jib, crane, horizon), fill=yellow, width=8)
    draw.line((crane - side * 60, jib, crane + side * rng.randint(150, 280), jib), fill=yellow, width=6)
    for _tree in range(rng.randint(0, 4)):
        x = rng.randint(0, WIDTH)
        size = rng.randint(20, 60)
        draw.ellipse((x - size, horizon - 2 * size, x + size, horizon), fill=_grey(rng, 30, 90))
    return image


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return (float(degrees), float(minutes), round((minutes_full - minutes) * 60, 2))


def photo_jpeg(
    seed: str, *, taken_at: dt.datetime | None = None, point: tuple[Decimal, Decimal] | None = None
) -> bytes:
    """The scene of `seed` as a JPEG with the camera's capture time and GPS ((longitude, latitude))."""
    image = draw_scene(seed)
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(_EXIF_IFD)[_DATETIME_ORIGINAL] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if point is not None:
        longitude, latitude = float(point[0]), float(point[1])
        gps = exif.get_ifd(_GPS_IFD)
        gps[1], gps[2] = ("N" if latitude >= 0 else "S"), _dms(abs(latitude))
        gps[3], gps[4] = ("E" if longitude >= 0 else "W"), _dms(abs(longitude))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80, exif=exif)
    return out.getvalue()


def photo_upload(
    name: str,
    seed: str,
    *,
    taken_at: dt.datetime | None = None,
    point: tuple[Decimal, Decimal] | None = None,
) -> SimpleUploadedFile:
    """`photo_jpeg` as the file a phone would upload."""
    data = photo_jpeg(seed, taken_at=taken_at, point=point)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")
