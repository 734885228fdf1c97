"""Funds in the browser: the reporter's money on the report form (refused, then saved), the leader's funds chart
and the districts page drawn under the CSP (no console errors)."""

from __future__ import annotations

import pytest

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.funds.models import ReportFunds
from minsheng.funds.services import planned_funds_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_money_on_the_report_form_and_the_dashboard(live_server, browser, world, shots):
    base = live_server.url
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "600", "local": "400"})
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, base, world.reporter.username, PASSWORD)
    phone.goto(f"{base}/progress/items/{world.item.pk}/periods/{world.period(1).pk}/")
    target = world.item.targets.get()
    phone.locator(f"#t-{target.pk}").fill("3")
    phone.locator("#progress").fill("完成管网改造3公里")
    phone.get_by_label("资金到位").fill("200")
    phone.get_by_label("已支付").fill("250")
    phone.get_by_role("button", name="保存草稿").click()
    phone.wait_for_load_state("networkidle")
    assert "不能多于资金到位" in phone.locator("main").inner_text()
    assert not ReportFunds.objects.exists()
    phone.get_by_label("已支付").fill("150")
    phone.get_by_role("button", name="保存草稿").click()
    phone.wait_for_load_state("networkidle")
    phone.locator("fieldset.funds").screenshot(path=str(shots / "report-funds.png"))
    funds = ReportFunds.objects.get()
    assert (funds.in_place, funds.paid) == (200, 150)

    leader = browser.new_context(locale="zh-CN").new_page()
    errors: list[str] = []
    leader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(leader, base, world.leader.username, PASSWORD, "/dashboard/")
    leader.goto(f"{base}/dashboard/")
    leader.wait_for_function("document.documentElement.dataset.chartsReady !== undefined")
    assert leader.locator("#chart-funds svg").count() == 1
    assert "资金" in leader.locator("#dashboard-funds").inner_text()
    leader.goto(f"{base}/dashboard/districts/")
    leader.wait_for_function("document.documentElement.dataset.chartsReady !== undefined")
    assert leader.locator("#chart-districts svg").count() == 1
    assert "金坛区" in leader.locator("#districts-table").inner_text()
    assert not errors
