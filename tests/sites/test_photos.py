"""Photo checks: EXIF time and GPS kept for reviewers, flags for old, far and re-used photos; nothing public."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from factories import PASSWORD
from minsheng.progress.models import Evidence
from minsheng.progress.services import evidence_add, report_approve, report_submit
from minsheng.sites.models import PhotoCheck, Site
from minsheng.sites.photos import dhash, hamming, to_signed
from progress.factories import build_world, filled_report
from sites.helpers import photo

pytestmark = pytest.mark.django_db


def upload(world: Any, report: Any, data: bytes, name: str = "p.jpg") -> Evidence:
    return evidence_add(
        acting_user=world.reporter,
        report=report,
        upload=SimpleUploadedFile(name, data, content_type="image/jpeg"),
    )


def test_capture_time_and_gps_are_kept_though_the_public_copy_has_none(district: Any) -> None:
    world = build_world(district)
    report = filled_report(world, world.item, world.period(3))
    evidence = upload(world, report, photo(taken="2024:03:10 09:30:00", gps=(119.57, 31.74)))
    check = PhotoCheck.objects.get(evidence=evidence)
    assert check.taken_at is not None and check.taken_at.date() == dt.date(2024, 3, 10)
    assert (round(check.longitude, 3), round(check.latitude, 3)) == (Decimal("119.570"), Decimal("31.740"))
    assert check.flags == []
    with evidence.public_copy.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif()


def test_a_photo_taken_before_the_period_is_flagged(district: Any) -> None:
    world = build_world(district)
    report = filled_report(world, world.item, world.period(3))
    evidence = upload(world, report, photo(taken="2023:11:02 10:00:00"))
    assert PhotoCheck.objects.get(evidence=evidence).flags == ["before_period"]


def test_a_photo_far_from_every_site_is_flagged(district: Any, settings: Any) -> None:
    world = build_world(district)
    Site.objects.create(
        item=world.item, name="金城小学", longitude=Decimal("119.57"), latitude=Decimal("31.74")
    )
    report = filled_report(world, world.item, world.period(3))
    near = upload(world, report, photo(gps=(119.575, 31.745), seed=2), "near.jpg")
    far = upload(world, report, photo(gps=(119.45, 31.65), seed=3), "far.jpg")
    assert PhotoCheck.objects.get(evidence=near).flags == []
    far_check = PhotoCheck.objects.get(evidence=far)
    assert far_check.flags == ["far"] and far_check.distance_km > 10
    settings.MINSHENG_PHOTO_MAX_DISTANCE_KM = 20
    wider = upload(world, report, photo(gps=(119.45, 31.65), seed=4), "far2.jpg")
    assert PhotoCheck.objects.get(evidence=wider).flags == []


def test_dhash_sees_a_resized_recompressed_copy_as_a_near_duplicate() -> None:
    original = Image.open(io.BytesIO(photo(seed=5)))
    copy_bytes = io.BytesIO()
    original.resize((160, 120)).save(copy_bytes, format="JPEG", quality=60)
    copy = Image.open(io.BytesIO(copy_bytes.getvalue()))
    other = Image.open(io.BytesIO(photo(seed=9)))
    a, b, c = (to_signed(dhash(i) or 0) for i in (original, copy, other))
    assert hamming(a, b) <= 4
    assert hamming(a, c) > 8
    assert dhash(Image.new("RGB", (50, 50), (120, 120, 120))) is None  # a blank picture says nothing


def test_the_same_photo_in_another_report_is_flagged_and_shown_to_reviewers_only(
    client: Any, district: Any
) -> None:
    world = build_world(district)
    first = filled_report(world, world.item, world.period(2))
    upload(world, first, photo(seed=7), "a.jpg")
    report_submit(acting_user=world.reporter, report=first)
    report_approve(acting_user=world.reviewer, report=first)
    second = filled_report(world, world.item, world.period(3))
    resent = Image.open(io.BytesIO(photo(seed=7)))
    out = io.BytesIO()
    resent.resize((300, 225)).save(out, format="JPEG", quality=70)
    evidence = upload(world, second, out.getvalue(), "b.jpg")
    check = PhotoCheck.objects.get(evidence=evidence)
    assert check.flags == ["duplicate"]
    assert check.duplicate_of is not None and check.duplicate_of.report_id == first.pk
    report_submit(acting_user=world.reporter, report=second)

    client.login(username="reviewer", password=PASSWORD)
    queue = client.get(reverse("progress:queue")).content.decode()
    assert "near-duplicate of a photo in another report" in queue
    timeline = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert "near-duplicate of a photo in another report" in timeline
    client.logout()

    client.login(username="zhujian", password=PASSWORD)  # the reporter: no photo checks
    own = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert "near-duplicate" not in own and "Photo checks" not in own
    client.logout()

    report_approve(acting_user=world.reviewer, report=second)
    public = client.get(reverse("portal:item", args=[world.item.pk])).content.decode()
    assert "b.jpg" not in public and "near-duplicate" not in public and "Photo checks" not in public
    assert "GPS" not in public
