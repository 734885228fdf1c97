"""A deputy rates the year's projects on a phone; the office closes the rating; the public plan page links to
the results (满意度) and the unsatisfactory project's lead unit finds its rectification task."""

from __future__ import annotations

import pytest

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.participation.ratings.models import Rating, RectificationTask
from participation.ratings.conftest import make_rated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_deputy_rates_on_a_phone_and_the_results_go_public(live_server, browser, district, shots):
    base = live_server.url
    rated = make_rated(district, deputies=1)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, base, rated.deputies[0].username, PASSWORD, f"/participation/ratings/{rated.event.pk}/")
    phone.goto(f"{base}/participation/ratings/{rated.event.pk}/")
    marks = ("满意", "基本满意", "不满意")
    for project, mark in zip(rated.projects, marks, strict=True):
        phone.locator(f"input[name=p{project.pk}]").nth(marks.index(mark)).check()
    phone.screenshot(path=str(shots / "deputy-rating-phone.png"), full_page=True)
    phone.get_by_role("button", name="提交测评").click()
    phone.wait_for_load_state("networkidle")
    assert "您的测评意见" in phone.content()
    assert Rating.objects.filter(deputy=rated.deputies[0]).count() == 3
    # The page has no horizontal scroll on the phone.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    office = browser.new_context(locale="zh-CN").new_page()
    sign_in(office, base, rated.world.office.username, PASSWORD, f"/participation/ratings/{rated.event.pk}/")
    office.goto(f"{base}/participation/ratings/{rated.event.pk}/")
    office.get_by_role("button", name="结束测评并公布结果").click()
    office.wait_for_load_state("networkidle")

    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(f"{base}/public/plans/{rated.world.plan.pk}/")
    citizen.get_by_role("link", name="满意度测评结果").click()
    citizen.wait_for_load_state("networkidle")
    table = citizen.locator("table").inner_text()
    assert "不满意项目：整改中" in table and "100.00" in table and "0.00" in table

    task = RectificationTask.objects.get()
    assert task.project_id == rated.projects[2].pk  # 不满意 by the only deputy: 0 %
    unit = browser.new_context(locale="zh-CN").new_page()
    sign_in(
        unit, base, rated.world.other_reporter.username, PASSWORD, "/participation/ratings/rectification/"
    )
    unit.goto(f"{base}/participation/ratings/rectification/")
    assert rated.projects[2].name in unit.locator("main").inner_text()
