"""The office's site pages end to end: per-site flag, sites from the list, edit, remove, boundary, signs."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from factories import PASSWORD
from minsheng.sites.models import Boundary, Site, SiteSet
from progress.factories import build_world
from sites.helpers import SQUARE, geojson, towns

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client: Any, district: Any) -> tuple[Any, Any]:
    world = build_world(district)
    towns(district)
    client.login(username="office", password=PASSWORD)
    return client, world


def test_per_site_flag_and_sites_from_the_list(office_client: tuple[Any, Any]) -> None:
    client, world = office_client
    refused = client.post(reverse("sites:per_site", args=[world.item.pk]), {"per_site": "1"}, follow=True)
    assert "Add the item&#x27;s sites first." in refused.content.decode()
    world.item.extra = {"建设地点": "金城镇、儒林镇"}
    world.item.save()
    page = client.get(reverse("sites:item", args=[world.item.pk])).content.decode()
    assert "金城镇、儒林镇" in page
    client.post(reverse("sites:from_list", args=[world.item.pk]))
    assert list(Site.objects.values_list("name", "town__name")) == [
        ("金城镇", "金城镇"),
        ("儒林镇", "儒林镇"),
    ]
    client.post(reverse("sites:per_site", args=[world.item.pk]), {"per_site": "1"})
    assert SiteSet.objects.get(item=world.item).per_site


def test_edit_and_remove_a_site(office_client: tuple[Any, Any]) -> None:
    client, world = office_client
    site = Site.objects.create(item=world.item, name="旧名")
    response = client.post(reverse("sites:edit", args=[site.pk]), {"name": "新名", "longitude": "119.5"})
    assert response.status_code == 400
    assert "Give both longitude and latitude, or neither." in response.content.decode()
    client.post(
        reverse("sites:edit", args=[site.pk]), {"name": "新名", "longitude": "119.5", "latitude": "31.7"}
    )
    site.refresh_from_db()
    assert (site.name, site.latitude) == ("新名", Decimal("31.700000"))
    client.post(reverse("sites:delete", args=[site.pk]))
    assert not Site.objects.exists()


def test_boundary_upload_page(office_client: tuple[Any, Any]) -> None:
    client, world = office_client
    url = reverse("sites:boundary", args=[world.plan.region_id])
    line = SimpleUploadedFile("road.geojson", geojson({"type": "LineString", "coordinates": SQUARE[0]}))
    page = client.post(url, {"file": line, "plan": world.plan.pk}, follow=True).content.decode()
    assert "“road.geojson”: the geometry" not in page  # it names the feature
    assert "“road.geojson”: feature 1 is a LineString, not a Polygon or MultiPolygon" in page
    assert not Boundary.objects.exists()
    good = SimpleUploadedFile("jintan.geojson", geojson({"type": "Polygon", "coordinates": SQUARE}))
    page = client.post(url, {"file": good, "plan": world.plan.pk}, follow=True).content.decode()
    assert "Boundary of 金坛区 saved." in page and "jintan.geojson" in page
    assert Boundary.objects.get().polygons == [SQUARE]


def test_a_sites_sign_opens_the_site_page(office_client: tuple[Any, Any]) -> None:
    client, world = office_client
    site = Site.objects.create(item=world.item, name="华城社区", address="华城路1号")
    response = client.get(reverse("sites:sign", args=[world.item.pk]) + f"?site={site.pk}")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Site: 华城社区，华城路1号" in text
    assert f"http://testserver/public/sites/{site.pk}/" in text


def test_the_public_site_page_costs_the_same_with_many_sites(client: Any, district: Any) -> None:
    world = build_world(district)
    site = Site.objects.create(item=world.item, name="点位0")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("sites_public:site", args=[site.pk])).status_code == 200
        return len(queries)

    few = count()
    Site.objects.bulk_create(Site(item=world.item, name=f"点位{n}", position=n) for n in range(1, 40))
    assert count() == few
