"""The year's end in the browser: the office sets the reading date, closes the year through its confirmation
page, carries the unfinished item over and downloads the completion report; the public item page shows
where the item went (no console errors under the CSP)."""

from __future__ import annotations

import pytest
from docx import Document

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.yearend.models import CarryOver
from yearend.helpers import lagging

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_office_closes_the_year_and_carries_over(live_server, browser, world, shots):
    base = live_server.url
    lagging(world)
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []  # the browser's own /favicon.ico aside
    page.on(
        "response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None
    )
    sign_in(page, base, world.office.username, PASSWORD, "/yearend/")
    page.goto(f"{base}/yearend/")
    page.get_by_role("link", name=f"2024 · {world.plan.title}").click()
    page.get_by_label("年终认定日").fill("2024-12-30")
    page.get_by_role("button", name="设定认定日").click()
    assert "早于清单年度结束日" in page.locator("main").inner_text()
    page.get_by_label("年终认定日").fill("2025-01-20")
    page.get_by_role("button", name="设定认定日").click()
    assert "年终认定日已设定" in page.locator("main").inner_text()

    page.get_by_role("link", name="年度关账…").click()
    assert "关账会做什么" in page.locator("main").inner_text()
    page.get_by_role("button", name="立即关账").click()
    main = page.locator("main").inner_text()
    assert "已关账" in main and "严重滞后" in main

    page.get_by_role("button", name="结转未完成项目").click()
    assert "结转至" in page.locator("main").inner_text()
    carried = CarryOver.objects.get(origin=world.item)
    page.screenshot(path=str(shots / "year-end.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="下载年度完成情况报告（.docx）").click()
    report = Document(str(download.value.path()))
    assert any(p.text == "关于2024年民生实事项目完成情况的报告" for p in report.paragraphs)

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/public/items/{world.item.pk}/")
    text = public.locator("#year-end").inner_text()
    assert "已结转至2025年" in text and "草稿，尚未发布" in text
    page.goto(f"{base}/progress/items/{carried.item_id}/")
    assert "由2024年结转而来" in page.locator("#year-end").inner_text()
    assert not failed
    assert not [e for e in errors if not e.startswith("Failed to load resource")]
