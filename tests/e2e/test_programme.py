"""A month of the programme in a browser: a reporter's report with a photo is approved, then the new value
shows on the leaders' dashboard and on the public portal."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.scenario import approve, build
from e2e.conftest import docx_to_png, sign_in
from factories import PASSWORD
from minsheng.alerts.services import period_close
from minsheng.bulletins.selectors import period_for
from minsheng.bulletins.services import bulletin_build
from minsheng.parsing import Plan as ParsedPlan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from progress.factories import jpeg_with_gps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario(district: Any, jintan_gold: dict[str, Any]):
    scn = build(district, parsed=ParsedPlan.from_dict(jintan_gold))
    # Earlier months: some items on schedule, some behind, so the charts have something to say. Items led
    # by a group word (各镇（街道）) are reported by each town and left out here.
    items = [i for i in scn.items() if i.item_units.filter(role="lead", unit__kind="group").count() == 0]
    for n, item in enumerate(items[1:], start=1):
        approve(
            scn,
            item,
            12 if n % 3 else 6,
            ("1", "0.85", "0.4")[n % 3],
            milestones="done" if n % 3 == 1 else "in_progress",
        )
    # January to November are closed: their month-end snapshots draw the monthly trend.
    for month in range(1, 12):
        period_close(acting_user=scn.office, period=scn.period(month))
    return scn


def test_approved_value_reaches_dashboard_and_portal(live_server, browser, scenario, shots):
    item = scenario.items()[0]
    targets = list(item.targets.order_by("position"))
    period = scenario.period(12)
    reporter = scenario.reporter_for(item)
    base = live_server.url

    # The lead unit's reporter fills in December's report on a phone, with a photo, and submits it.
    phone_context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = phone_context.new_page()
    sign_in(phone, base, reporter.username, PASSWORD, "/progress/")
    phone.goto(f"{base}/progress/items/{item.pk}/periods/{period.pk}/")
    for target in targets:
        phone.locator(f"#t-{target.pk}").fill(str((target.value / 2).normalize()))
    for milestone in item.milestones.all():
        phone.locator(f"#m-{milestone.pk}").select_option("in_progress")
    phone.locator("#progress").fill("本月完成全年任务的一半")
    phone.locator("#files").set_input_files(
        [{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((320, 240))}]
    )
    phone.locator("button[name=action][value=submit]").click()
    phone.wait_for_load_state("networkidle")
    report = ProgressReport.objects.get(item=item, period=period)
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1
    phone_context.close()

    # The reviewer approves it from the queue.
    office_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    desk = office_context.new_page()
    sign_in(desk, base, scenario.reviewer.username, PASSWORD, "/progress/review/")
    desk.goto(f"{base}/progress/review/")
    desk.locator(f"#report-{report.pk} button[name=action][value=approve]").click()
    desk.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    office_context.close()

    # The leader sees the new value on the dashboard.
    leader_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = leader_context.new_page()
    sign_in(page, base, scenario.leader.username, PASSWORD, "/dashboard/")
    page.goto(f"{base}/dashboard/?plan={scenario.plan.pk}")
    page.wait_for_function("document.documentElement.dataset.chartsReady === '5'")
    assert page.locator("#chart-projects svg").count() == 1
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    page.goto(f"{base}/dashboard/items/?plan={scenario.plan.pk}&project={item.project_id}")
    row = page.locator("tbody tr", has_text=item.text[:15])
    assert "50%" in row.inner_text()  # both targets half done, the milestone under way
    leader_context.close()

    # Citizens see it on the portal, with the photo stripped of its GPS data.
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    citizen = public.new_page()
    citizen.goto(f"{base}/")
    assert scenario.plan.title in citizen.content()
    citizen.screenshot(path=str(shots / "portal.png"), full_page=True)
    citizen.goto(f"{base}/public/items/{item.pk}/")
    first = citizen.locator("table tbody tr").first
    assert f"{(targets[0].value / 2).normalize():f} {targets[0].unit}" in first.inner_text()
    assert "本月完成全年任务的一半" in citizen.content()
    image = citizen.locator(".photos img").first
    assert image.get_attribute("alt")
    assert citizen.evaluate("img => img.complete && img.naturalWidth > 0", image.element_handle())
    photo = citizen.request.get(base + citizen.locator(".photos a").first.get_attribute("href"))
    assert photo.ok and b"PhoneCam" not in photo.body()
    citizen.screenshot(path=str(shots / "portal-item.png"), full_page=True)
    public.close()


def test_bulletin_page_renders(live_server, scenario, shots, tmp_path):
    period = period_for(scenario.plan, "2024-12")
    docx = tmp_path / "bulletin.docx"
    docx.write_bytes(bulletin_build(acting_user=None, plan=scenario.plan, period=period))
    if not docx_to_png(docx, shots / "bulletin.png"):
        pytest.skip("LibreOffice (soffice) is not installed: cannot render the bulletin")
    assert (shots / "bulletin.png").stat().st_size > 0
