"""A month of the programme in a browser: a reporter's report with a photo is approved, then the new value
shows on the leaders' dashboard and on the public portal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dashboard.scenario import approve, build
from e2e.conftest import docx_to_png, sign_in
from factories import PASSWORD
from minsheng.bulletins.selectors import period_for
from minsheng.bulletins.services import bulletin_build
from progress.factories import jpeg_with_gps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario(district: Any):
    scn = build(district, projects=3, items=3)
    items = scn.items()
    # Earlier months: some items on schedule, some behind, so the charts have something to say.
    for n, item in enumerate(items[1:], start=1):
        approve(
            scn,
            item,
            12 if n % 3 else 6,
            ("1", "0.85", "0.4")[n % 3],
            milestones="done" if n % 3 == 1 else "in_progress",
        )
    return scn


def test_approved_value_reaches_dashboard_and_portal(live_server, page, scenario, shots):
    item = scenario.items()[0]
    target = item.targets.order_by("position").first()
    approve(scenario, item, 12, "0.5", photo=jpeg_with_gps(), problems="")
    reached = (target.value * Decimal("0.5")).quantize(Decimal("0.01")).normalize()

    # Leaders see it on the dashboard.
    sign_in(page, live_server.url, scenario.leader.username, PASSWORD, "/dashboard/")
    page.goto(f"{live_server.url}/dashboard/?plan={scenario.plan.pk}")
    page.wait_for_function("document.documentElement.dataset.chartsReady === '5'")
    assert page.locator("#chart-projects svg").count() == 1
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    page.goto(f"{live_server.url}/dashboard/items/?plan={scenario.plan.pk}&project={item.project_id}")
    assert item.text[:15] in page.content()

    # Citizens see it on the portal, with the cleaned photo.
    public = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = public.new_page()
    phone.goto(f"{live_server.url}/")
    assert scenario.plan.title in phone.content()
    phone.screenshot(path=str(shots / "portal.png"), full_page=True)
    phone.goto(f"{live_server.url}/public/items/{item.pk}/")
    row = phone.locator("table tbody tr").first
    assert f"{reached:f}" in row.inner_text()
    image = phone.locator(".photos img").first
    assert image.get_attribute("alt")
    assert phone.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    phone.screenshot(path=str(shots / "portal-item.png"), full_page=True)
    public.close()


def test_bulletin_page_renders(live_server, scenario, shots, tmp_path):
    period = period_for(scenario.plan, "2024-12")
    docx = tmp_path / "bulletin.docx"
    docx.write_bytes(bulletin_build(acting_user=None, plan=scenario.plan, period=period))
    if not docx_to_png(docx, shots / "bulletin.png"):
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the bulletin")
    assert (shots / "bulletin.png").stat().st_size > 0
