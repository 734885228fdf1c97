"""民生码: the QR codes encode the public pages' absolute URLs; the sign; the public site page."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from factories import PASSWORD
from minsheng.progress.services import report_approve, report_submit
from minsheng.sites import qr, services
from minsheng.sites.models import Site
from progress.factories import build_world, filled_report
from sites.helpers import square_boundary, towns

pytestmark = pytest.mark.django_db


def test_the_url_functions_give_absolute_urls(rf: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["minsheng.example.gov.cn"]
    request = rf.get("/", HTTP_HOST="minsheng.example.gov.cn", secure=True)
    assert qr.item_url(12, request) == "https://minsheng.example.gov.cn/public/items/12/"
    assert qr.site_url(3, request) == "https://minsheng.example.gov.cn/public/sites/3/"
    settings.MINSHENG_PUBLIC_BASE_URL = "https://jt.example.cn/"
    assert qr.item_url(12, request) == "https://jt.example.cn/public/items/12/"


def test_item_qr_is_an_svg_of_the_item_pages_absolute_url(client: Any, district: Any) -> None:
    world = build_world(district)
    response = client.get(f"/public/items/{world.item.pk}/qr.svg", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert response.content == qr.qr_svg(f"http://testserver/public/items/{world.item.pk}/")
    assert response.content != qr.qr_svg(f"http://testserver/public/items/{world.item.pk + 1}/")


def test_site_qr_and_public_site_page(client: Any, district: Any) -> None:
    world = build_world(district)
    town = towns(district)["金城镇"]
    site = Site.objects.create(item=world.item, name="华城社区", town=town, address="华城路1号")
    response = client.get(f"/public/sites/{site.pk}/qr.svg")
    assert response.content == qr.qr_svg(f"http://testserver/public/sites/{site.pk}/")
    page = client.get(f"/public/sites/{site.pk}/").content.decode()
    assert "华城社区" in page and "金城镇" in page and f"/public/sites/{site.pk}/qr.svg" in page


def test_a_draft_plans_codes_and_sites_are_not_public(client: Any, district: Any) -> None:
    world = build_world(district)
    site = Site.objects.create(item=world.item, name="华城社区")
    world.plan.status = "draft"
    world.plan.save()
    for url in (
        f"/public/items/{world.item.pk}/qr.svg",
        f"/public/sites/{site.pk}/qr.svg",
        f"/public/sites/{site.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_public_item_page_shows_the_code_and_sites_in_a_fixed_number_of_queries(
    client: Any, district: Any
) -> None:
    world = build_world(district)
    Site.objects.create(item=world.item, name="小区1")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("portal:item", args=[world.item.pk]), HTTP_CACHE_CONTROL="no-cache")
        assert f"/public/items/{world.item.pk}/qr.svg" in page.content.decode()
        return len(queries)

    from alerts.province import pages_afresh

    pages_afresh()
    few = count()
    for n in range(2, 30):
        Site.objects.create(item=world.item, name=f"小区{n}")
    pages_afresh()
    assert count() == few


def test_the_sign_has_title_lead_unit_targets_progress_and_the_code(client: Any, district: Any) -> None:
    world = build_world(district)
    report = filled_report(world, world.item, world.period(3), value="8")
    report_submit(acting_user=world.reporter, report=report)
    report_approve(acting_user=world.reviewer, report=report)
    client.login(username="office", password=PASSWORD)
    response = client.get(reverse("sites:sign", args=[world.item.pk]) + "?on=2024-04-15")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert world.plan.title in text and "安居金坛" in text and "区住建局" in text and "2024-04-15" in text
    assert "改造老旧小区管网20公里" in cells and "20 公里" in cells and "8 公里" in cells
    assert len(doc.inline_shapes) == 1  # the code
    assert f"/public/items/{world.item.pk}/" in text


def test_the_map_data_on_the_dashboard_and_the_portal(client: Any, district: Any) -> None:
    world = build_world(district)
    square_boundary(district)
    services.site_save(
        acting_user=world.office,
        item=world.item,
        data=services.SiteInput("金城小学", None, "", Decimal("119.57"), Decimal("31.74")),
    )
    portal = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert 'id="sites-map-data"' in portal and "金城小学" in portal and '"outline"' in portal
    assert "sites/map.js" in portal
    client.login(username="leader", password=PASSWORD)
    dashboard = client.get(reverse("dashboard:overview")).content.decode()
    assert 'id="sites-map-data"' in dashboard and "119.57" in dashboard


def test_a_new_site_shows_at_once_on_the_cached_public_pages(client: Any, district: Any) -> None:
    world = build_world(district)
    item_url = reverse("portal:item", args=[world.item.pk])
    plan_url = reverse("portal:plan", args=[world.plan.pk])
    assert "长荡湖小学" not in client.get(item_url).content.decode()  # now in the page cache
    client.get(plan_url)
    services.site_save(
        acting_user=world.office,
        item=world.item,
        data=services.SiteInput("长荡湖小学", None, "", Decimal("119.57"), Decimal("31.74")),
    )
    assert "长荡湖小学" in client.get(item_url).content.decode()
    assert "长荡湖小学" in client.get(plan_url).content.decode()


def test_tiles_only_when_a_tile_url_is_configured(district: Any, settings: Any) -> None:
    from minsheng.sites.selectors import map_data

    world = build_world(district)
    square_boundary(district)
    offline = map_data(world.plan, public=True)
    assert (
        offline is not None and offline["tiles"] == "" and offline["outline"]["type"] == "FeatureCollection"
    )
    settings.MINSHENG_MAP_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    online = map_data(world.plan, public=True)
    assert online is not None and online["tiles"] == "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
