"""An older reader switches the portal to large text and high contrast by clicking, on a phone, without
script; the choice stays on the next page and the footer names the issuing organisation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _font_size(page) -> float:
    return float(page.evaluate("getComputedStyle(document.documentElement).fontSize").rstrip("px"))


def test_large_text_mode_by_clicking(live_server, browser, world, shots):
    base = live_server.url
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{base}/public/items/{world.item.pk}/")
    standard = _font_size(page)
    assert "主办单位：金坛区人民政府" in page.locator("footer").inner_text()
    page.get_by_role("link", name="大字号·高对比度（适老化）").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/public/items/{world.item.pk}/")  # back on the same page
    assert _font_size(page) >= standard * 1.2
    page.screenshot(path=str(shots / "portal-large-text.png"))
    page.goto(f"{base}/public/plans/{world.plan.pk}/")  # the choice is kept
    assert _font_size(page) >= standard * 1.2
    page.get_by_role("link", name="标准显示").click()
    page.wait_for_load_state("networkidle")
    assert _font_size(page) == standard
    context.close()
