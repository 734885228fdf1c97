"""Originals keep their GPS and full size as evidence, so they never reach the public: the portal serves
only the re-encoded copy (no EXIF at all, ≤ 2,000 px), no public page names an original, and the original
itself is a download for the item's reviewers and office only, as an attachment."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from dashboard.scenario import approve, build
from progress.factories import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(district: Any) -> Any:
    scenario = build(district)
    item = scenario.items()[0]
    report = approve(scenario, item, 3, "0.5", photo=jpeg_with_gps((2600, 1200)))
    return scenario, item, report.evidence.get()


def _image(response: Any) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_the_public_copy_and_thumbnail_carry_no_exif(client: Client, photo: Any) -> None:
    _scenario, _item, evidence = photo
    with evidence.original.open("rb") as handle:
        original = Image.open(io.BytesIO(handle.read()))
        assert original.getexif().get(0x8825) and original.size == (2600, 1200)  # GPS kept as evidence
    for size in ("full", "thumb"):
        response = client.get(reverse("portal:photo", args=[evidence.pk, size]))
        assert response.status_code == 200
        image = _image(response)
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info, size
        assert max(image.size) <= 2000, size


def test_no_public_page_names_the_original(client: Client, photo: Any) -> None:
    scenario, item, evidence = photo
    pages = ["/", reverse("portal:plan", args=[scenario.plan.pk]), reverse("portal:item", args=[item.pk])]
    original_url = reverse("progress:evidence", args=[evidence.pk, "original"])
    for path in pages:
        html = client.get(path).content.decode()
        assert evidence.original.name not in html and original_url not in html, path


def test_the_original_is_never_served_to_the_public(client: Client, photo: Any) -> None:
    scenario, _item, evidence = photo
    original_url = reverse("progress:evidence", args=[evidence.pk, "original"])
    assert client.get(original_url).status_code == 302  # anonymous: the sign-in page, not the file
    assert client.get(reverse("portal:photo", args=[evidence.pk, "original"])).status_code == 404
    assert client.get(f"/media/{evidence.original.name}").status_code == 404  # media is not served
    # The leader reads the report (public copy) but not the original; the reviewer downloads it.
    leader = Client()
    leader.force_login(scenario.leader)
    assert leader.get(original_url).status_code == 403
    reviewer = Client()
    reviewer.force_login(scenario.reviewer)
    response = reviewer.get(original_url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
