"""The sites map draws offline on the portal and the dashboard; the phone opens a site from its 民生码 page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.sites import services
from sites.helpers import square_boundary, towns

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_map_shows_the_outline_and_sites_without_network(live_server, browser, world, district, shots):
    base = live_server.url
    square_boundary(district)
    town = towns(district)["金城镇"]
    for n, (lon, lat) in enumerate([("119.57", "31.74"), ("119.47", "31.67")], start=1):
        services.site_save(
            acting_user=world.office,
            item=world.item,
            data=services.SiteInput(f"点位{n}", town, "", Decimal(lon), Decimal(lat)),
        )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    # Nothing may leave the site: any request to another host fails the test.
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith(base)
            else route.continue_()
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/public/plans/{world.plan.pk}/")
    page.wait_for_selector("#sites-map[data-ready='2']")
    assert page.locator("#sites-map svg path").count() > 0  # the outline and the points are drawn
    page.locator("#sites-map").screenshot(path=str(shots / "portal-sites-map.png"))
    assert not outside and not errors

    site_page = context.new_page()
    site_page.goto(f"{base}/public/items/{world.item.pk}/")
    qr = site_page.locator("img[src$='/qr.svg']").first
    qr.scroll_into_view_if_needed()  # the load event does not wait for an image still loading (a busy machine)
    site_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert qr.evaluate("img => img.naturalWidth") > 0
    site_page.get_by_role("link", name="点位1").click()
    site_page.wait_for_load_state("networkidle")
    assert "金城镇" in site_page.locator("main").inner_text()

    leader = browser.new_context(locale="zh-CN").new_page()
    sign_in(leader, base, world.leader.username, PASSWORD, "/dashboard/")
    leader.goto(f"{base}/dashboard/")
    leader.wait_for_selector("#sites-map[data-ready='2']")
    assert leader.evaluate("document.documentElement.dataset.chartsReady") is not None


def test_with_a_tile_url_the_tiles_are_laid_under_the_outline(
    live_server, browser, world, district, settings, shots
):
    import io
    import math

    from PIL import Image, ImageDraw

    base = live_server.url
    square_boundary(district)
    services.site_save(
        acting_user=world.office,
        item=world.item,
        data=services.SiteInput("点位1", None, "", Decimal("119.57"), Decimal("31.74")),
    )
    settings.MINSHENG_MAP_TILE_URL = f"{base}/tiles/{{z}}/{{x}}/{{y}}.png"
    png = io.BytesIO()
    tile_image = Image.new("RGB", (256, 256), (200, 220, 200))
    ImageDraw.Draw(tile_image).rectangle((0, 0, 255, 255), outline=(120, 140, 120), width=2)  # tile edges
    tile_image.save(png, format="PNG")
    asked: list[str] = []

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png.getvalue())

    context = browser.new_context(locale="zh-CN", viewport={"width": 800, "height": 900})
    context.route(f"{base}/tiles/**", tile)
    page = context.new_page()
    page.goto(f"{base}/public/plans/{world.plan.pk}/")
    page.wait_for_selector("#sites-map[data-ready='1']")
    page.wait_for_function("document.querySelectorAll('#sites-map svg image').length > 0")
    assert asked and all("/tiles/" in url and url.endswith(".png") for url in asked)
    zooms = {int(url.split("/tiles/")[1].split("/")[0]) for url in asked}
    assert zooms and all(8 <= z <= 14 for z in zooms)  # a district-sized view
    # The tile that holds the site (Web Mercator tile maths) lies under the site's point on the map.
    z = max(zooms)
    x = int((119.57 + 180) / 360 * 2**z)
    lat = math.radians(31.74)
    y = int((1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * 2**z)
    box = page.evaluate(
        """(suffix) => { const image = [...document.querySelectorAll('#sites-map svg image')]
             .find(e => e.getAttribute('href').endsWith(suffix));
           return image && ['x', 'y', 'width', 'height'].map(a => parseFloat(image.getAttribute(a))); }""",
        f"/{z}/{x}/{y}.png",
    )
    point = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('sites-map'))
             .convertToPixel({geoIndex: 0}, [119.57, 31.74])"""
    )
    assert box is not None
    assert box[0] <= point[0] <= box[0] + box[2] and box[1] <= point[1] <= box[1] + box[3]
    page.locator("#sites-map").screenshot(path=str(shots / "sites-map-tiles.png"))
