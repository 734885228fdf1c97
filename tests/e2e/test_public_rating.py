"""A citizen rates an item on the portal from a phone; the office shows the comment; the item page counts it."""

from __future__ import annotations

import pytest

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.participation.feedback.models import PublicRating

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_citizen_rates_an_item_and_the_office_shows_the_comment(live_server, browser, world, shots):
    base = live_server.url
    item_url = f"{base}/public/items/{world.item.pk}/"

    citizen = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(item_url)
    section = citizen.locator("#rating")
    assert "暂无评价" in section.inner_text()
    section.get_by_label("满意", exact=False).first.check()  # 5 非常满意 is listed first
    section.locator("textarea[name=comment]").fill("管网改好后家里水压稳定了<b>谢谢</b>")
    section.screenshot(path=str(shots / "portal-rating.png"))
    section.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    assert "感谢您的评价" in citizen.content()
    assert "审核后公开" in citizen.locator("main").inner_text()

    rating = PublicRating.objects.get()
    assert rating.score == 5 and rating.comment_status == "pending"

    # The office shows the comment from its moderation queue.
    office = browser.new_context(locale="zh-CN").new_page()
    sign_in(office, base, world.office.username, PASSWORD, "/feedback/moderation/")
    office.goto(f"{base}/feedback/moderation/")
    office.get_by_role("button", name="显示", exact=True).first.click()
    office.wait_for_load_state("networkidle")

    citizen.goto(item_url)
    text = citizen.locator("#rating").inner_text()
    assert "平均5.0分" in text and "共1人评价" in text
    assert "管网改好后家里水压稳定了<b>谢谢</b>" in text  # shown as typed, not as markup
    # A second rating from the same connection in the same period is refused with a message.
    citizen.locator("#rating input[name=score]").first.check()
    citizen.locator("#rating").get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state("networkidle")
    assert "您已评价过该条目" in citizen.content()
    assert PublicRating.objects.count() == 1
