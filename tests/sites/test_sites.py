"""Sites by hand, from a sheet and from the list; the boundary checks coordinates; other districts see nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from factories import PASSWORD, RegionFactory, UserFactory
from minsheng.core.exceptions import ValidationFailed
from minsheng.sites import services
from minsheng.sites.models import Boundary, Site
from minsheng.sites.services import SiteInput, SitesImportFailed
from progress.factories import build_world
from sites.helpers import SQUARE, geojson, square_boundary, towns

pytestmark = pytest.mark.django_db


def sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [["名称", "镇（街道）", "地址", "经度", "纬度"], *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_office_adds_a_site_inside_the_boundary(district: Any) -> None:
    world = build_world(district)
    town = towns(district)["金城镇"]
    square_boundary(district)
    site = services.site_save(
        acting_user=world.office,
        item=world.item,
        data=SiteInput("华罗庚实验学校", town, "金城镇东门大街", Decimal("119.57"), Decimal("31.74")),
    )
    assert (site.town, site.latitude) == (town, Decimal("31.740000"))


def test_coordinates_outside_the_boundary_are_refused(district: Any) -> None:
    world = build_world(district)
    square_boundary(district)
    with pytest.raises(ValidationFailed, match="lies outside the boundary of 金坛区"):
        services.site_save(
            acting_user=world.office,
            item=world.item,
            data=SiteInput("南京某校", None, "", Decimal("118.78"), Decimal("32.04")),
        )
    assert not Site.objects.exists()


def test_the_sheet_with_an_unknown_town_saves_nothing_and_names_file_row_and_column(district: Any) -> None:
    world = build_world(district)
    towns(district)
    data = sheet([["金城小学", "金城镇", "", 119.57, 31.74], ["某某小学", "天宁区", "", 119.5, 31.7]])
    with pytest.raises(SitesImportFailed) as caught:
        services.sites_import(acting_user=world.office, item=world.item, data=data, name="学校.xlsx")
    assert caught.value.errors == [
        "学校.xlsx, row 3, column 镇（街道）: unknown town “天宁区” (the towns of 金坛区 are 儒林镇、直溪镇、金城镇)."
    ]
    assert not Site.objects.exists()


def test_the_sheet_checks_coordinates_per_row(district: Any) -> None:
    world = build_world(district)
    towns(district)
    square_boundary(district)
    data = sheet(
        [
            ["金城小学", "金城镇", "", 119.57, 31.74],
            ["远方小学", "", "", 118.0, 31.7],
            ["坏点", "", "", "东经", 31.7],
        ]
    )
    with pytest.raises(SitesImportFailed) as caught:
        services.sites_import(acting_user=world.office, item=world.item, data=data, name="s.xlsx")
    assert [e.split(":")[0] for e in caught.value.errors] == [
        "s.xlsx, row 3, column 经度",
        "s.xlsx, row 4, column 经度",
    ]
    assert "outside the boundary" in caught.value.errors[0]
    assert "is not a number" in caught.value.errors[1]
    assert not Site.objects.exists()


def test_a_good_sheet_adds_and_then_updates_by_name(district: Any) -> None:
    world = build_world(district)
    towns(district)
    data = sheet([["金城小学", "金城镇", "东门", 119.57, 31.74], ["儒林中学", "儒林镇", "", None, None]])
    services.sites_import(acting_user=world.office, item=world.item, data=data, name="s.xlsx")
    again = sheet([["金城小学", "金城镇", "西门", 119.57, 31.74]])
    services.sites_import(acting_user=world.office, item=world.item, data=again, name="s.xlsx")
    assert list(Site.objects.values_list("name", "town__name", "address")) == [
        ("金城小学", "金城镇", "西门"),
        ("儒林中学", "儒林镇", ""),
    ]


def test_a_file_that_is_not_a_workbook(district: Any) -> None:
    world = build_world(district)
    with pytest.raises(SitesImportFailed, match="not an Excel workbook"):
        services.sites_import(acting_user=world.office, item=world.item, data=b"hello", name="s.xlsx")


def test_sites_from_the_lists_place_column(district: Any) -> None:
    world = build_world(district)
    towns(district)
    world.item.extra = {"建设地点": "金城镇华城社区、儒林镇；直溪镇建昌村"}
    world.item.save()
    created = services.sites_from_list(acting_user=world.office, item=world.item)
    assert [(s.name, s.town.name if s.town else None) for s in created] == [
        ("金城镇华城社区", "金城镇"),
        ("儒林镇", "儒林镇"),
        ("直溪镇建昌村", "直溪镇"),
    ]
    assert services.sites_from_list(acting_user=world.office, item=world.item) == []  # nothing twice


def test_boundary_upload_refuses_a_point_and_sites_left_outside(district: Any) -> None:
    world = build_world(district)
    Site.objects.create(item=world.item, name="远方", longitude=Decimal("118.0"), latitude=Decimal("31.7"))
    with pytest.raises(ValidationFailed, match="not a Polygon"):
        services.boundary_upload(
            acting_user=world.office,
            region=district,
            data=geojson({"type": "Point", "coordinates": [1, 2]}),
            name="p.json",
        )
    with pytest.raises(ValidationFailed, match="1 sites would lie outside this boundary"):
        services.boundary_upload(
            acting_user=world.office,
            region=district,
            data=geojson({"type": "Polygon", "coordinates": SQUARE}),
            name="b.json",
        )
    assert not Boundary.objects.exists()


def test_pages_add_a_site_and_show_errors_where_entered(client: Any, district: Any) -> None:
    world = build_world(district)
    towns(district)
    square_boundary(district)
    client.login(username="office", password=PASSWORD)
    url = reverse("sites:item", args=[world.item.pk])
    bad = client.post(url, {"name": "远方小学", "longitude": "118", "latitude": "31.7"})
    assert bad.status_code == 400
    assert "lies outside the boundary" in bad.content.decode()
    good = client.post(url, {"name": "金城小学", "longitude": "119.57", "latitude": "31.74"})
    assert good.status_code == 302
    upload = SimpleUploadedFile("s.xlsx", sheet([["x", "火星镇", "", None, None]]))
    response = client.post(reverse("sites:upload", args=[world.item.pk]), {"file": upload}, follow=True)
    assert "s.xlsx, row 2, column 镇（街道）: unknown town “火星镇”" in response.content.decode()
    assert list(Site.objects.values_list("name", flat=True)) == ["金城小学"]
    page = client.get(reverse("sites:index"))
    assert page.status_code == 200 and "sites-map-data" in page.content.decode()


def test_another_districts_office_sees_nothing(client: Any, district: Any) -> None:
    world = build_world(district)
    site = Site.objects.create(item=world.item, name="金城小学")
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    UserFactory(username="liyang", role="office", region=elsewhere)
    client.login(username="liyang", password=PASSWORD)
    for url in (
        reverse("sites:item", args=[world.item.pk]),
        reverse("sites:edit", args=[site.pk]),
        reverse("sites:sign", args=[world.item.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("sites:delete", args=[site.pk])).status_code in (403, 404)
    assert client.post(reverse("sites:boundary", args=[district.pk])).status_code in (403, 404)
    index = client.get(reverse("sites:index"))
    assert index.status_code in (403, 404) or "金城小学" not in index.content.decode()
    assert Site.objects.filter(pk=site.pk).exists()


def test_publishing_a_list_with_a_place_column_gives_its_items_their_sites(district: Any) -> None:
    from minsheng.plans.services import plan_publish

    world = build_world(district)
    towns(district)
    world.plan.status = "draft"
    world.plan.save()
    world.item.extra = {"建设地点": "直溪镇建昌村，儒林镇"}
    world.item.save()
    bare = world.add_item()  # no place column: no site
    plan_publish(acting_user=None, plan=world.plan)
    assert list(Site.objects.filter(item=world.item).values_list("name", "town__name")) == [
        ("直溪镇建昌村", "直溪镇"),
        ("儒林镇", "儒林镇"),
    ]
    assert not Site.objects.filter(item=bare).exists()
