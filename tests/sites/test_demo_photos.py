"""The demo's photos: a scene of its own per item and month, so only the flags the demo means show up."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from minsheng.demo.activity import seed_activity
from minsheng.demo.photos import photo_jpeg
from minsheng.demo.sites import seed_sites
from minsheng.progress.models import ProgressReport
from minsheng.sites.models import PhotoCheck, Site, SiteSet, SiteValue
from minsheng.sites.photos import duplicate_bits, hamming, read_photo
from progress.factories import build_world
from sites.helpers import towns

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 10)  # four months reported: February to May


def test_scenes_differ_far_beyond_the_duplicate_threshold() -> None:
    # The demo's photographed items (every sixth) over a year of months.
    hashes = [
        read_photo(photo_jpeg(f"{i}:2024-{m:02d}-01"))[2] for i in range(0, 30, 6) for m in range(1, 13)
    ]
    assert all(h is not None for h in hashes)
    closest = min(hamming(a, b) for a, b in itertools.combinations(hashes, 2))  # type: ignore[arg-type]
    assert closest > duplicate_bits() + 4
    # The same item and month draws the same photo (a reused photo is a true duplicate).
    assert photo_jpeg("0:2024-05-01") == photo_jpeg("0:2024-05-01")


def test_demo_flags_one_reused_photo_and_one_far_photo(district: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(district)
    towns(district)
    for _ in range(12):
        world.add_item(targets=1, milestones=1)
    seed_sites(world.plan)
    seed_activity(world.plan, today=TODAY)

    checks = list(PhotoCheck.objects.select_related("evidence__report__period", "evidence__report__item"))
    assert len(checks) >= 8
    assert all(c.taken_at is not None for c in checks)  # every photo tells when it was taken
    flagged = {c.pk: sorted(c.flags) for c in checks if c.flags}
    duplicates = [c for c in checks if "duplicate" in c.flags]
    far = [c for c in checks if "far" in c.flags]
    assert len(duplicates) == 1 and len(far) == 1 and len(flagged) == 2
    reused = duplicates[0]
    # Last month's photo of the same item sent again: the same picture, taken before the period.
    original = reused.duplicate_of
    assert original is not None
    assert original.report.item_id == reused.evidence.report.item_id
    assert original.report.period.number == reused.evidence.report.period.number - 1
    assert sorted(reused.flags) == ["before_period", "duplicate"]
    # The far photo is on an item with sites, several km from the nearest one; the others are close.
    assert far[0].distance_km is not None and far[0].distance_km > 4
    placed = [c for c in checks if c.distance_km is not None and c.pk != far[0].pk]
    assert placed and all(c.distance_km < 1 for c in placed)  # type: ignore[operator]

    # The item measured per site reported per site: every report's value is the sum of its sites'.
    per_site = SiteSet.objects.get(per_site=True).item
    reports = ProgressReport.objects.filter(item=per_site).prefetch_related("target_values")
    assert reports.count() == 4
    for report in reports:
        for value in report.target_values.all():
            sites = SiteValue.objects.filter(period=report.period, target=value.target)
            assert sites.count() == Site.objects.filter(item=per_site).count()
            assert sum(v.value for v in sites) == value.value

    # Idempotent: a second run adds no photo.
    seed_activity(world.plan, today=TODAY)
    assert PhotoCheck.objects.count() == len(checks)
