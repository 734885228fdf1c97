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
    assert site_page.locator("img[src$='/qr.svg']").first.evaluate("img => img.naturalWidth") > 0
    site_page.get_by_role("link", name="点位1").click()
    site_page.wait_for_load_state("networkidle")
    assert "金城镇" in site_page.locator("main").inner_text()

    leader = browser.new_context(locale="zh-CN").new_page()
    sign_in(leader, base, world.leader.username, PASSWORD, "/dashboard/")
    leader.goto(f"{base}/dashboard/")
    leader.wait_for_selector("#sites-map[data-ready='2']")
    assert leader.evaluate("document.documentElement.dataset.chartsReady") is not None
