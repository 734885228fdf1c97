"""In a browser on a phone: a citizen proposes a project from the public home; a deputy votes (票决)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.participation.solicitation.models import Proposal
from minsheng.participation.voting.models import Ballot, Participation
from participation.voting.factories import open_event
from progress.factories import World, build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(district: Any) -> World:
    return build_world(district)


def _fits(page: Any) -> bool:
    """No sideways scrolling on the phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_deputy_votes_on_a_phone(live_server: Any, browser: Any, world: World, shots: Path) -> None:
    event = open_event(world.plan.region, world.office, candidates=6, choose_n=3)
    page = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, live_server.url, world.deputy.username, PASSWORD, reverse("start"))
    page.locator(f'nav.site-nav a[href="{reverse("voting:mine")}"]').click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="现在投票").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("请从 6 个候选项目中选出 3 项（等额）。").is_visible()
    assert _fits(page)
    boxes = page.locator("input[name=choices]")
    assert boxes.count() == 6
    for n in range(4):  # one too many
        boxes.nth(n).check()
    page.get_by_role("button", name="投票").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("您选了 4 项，最多只能选 3 项。").is_visible()
    assert Ballot.objects.count() == 0
    page.locator("input[name=choices]").nth(3).uncheck()  # the three still ticked stay ticked
    page.screenshot(path=str(shots / "ballot-phone.png"), full_page=True)
    page.get_by_role("button", name="投票").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("投票成功").is_visible()
    assert page.get_by_text("您已投票。").is_visible()
    assert Ballot.objects.count() == 1 and Participation.objects.get().voter == world.deputy
    assert len(Ballot.objects.get().choices) == 3
    page.goto(live_server.url + reverse("voting:ballot", args=[event.pk]))
    assert page.get_by_text("您已投票。").is_visible() and page.locator("input[name=choices]").count() == 0


def test_a_citizen_proposes_from_the_public_home(live_server: Any, browser: Any, world: World) -> None:
    from participation.solicitation.factories import open_solicitation

    open_solicitation(world.plan.region)
    page = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="为金坛区 2025 年民生实事项目提建议").click()
    page.wait_for_load_state("networkidle")
    assert _fits(page)
    page.get_by_label("项目名称").fill("新建社区食堂")
    page.get_by_label("建议内容").fill("<script>alert(1)</script>")
    page.get_by_label("类别").select_option("elderly")
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("您的电话或联系方式").fill("13812345678")
    page.get_by_role("button", name="提交建议").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("含有标记或脚本").is_visible()
    assert not Proposal.objects.exists()
    page.get_by_label("建议内容").fill("在东城街道新建社区食堂3个，方便老年人就餐。")
    page.get_by_role("button", name="提交建议").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("谢谢！您的建议已收到").is_visible()
    assert Proposal.objects.get().content.startswith("在东城街道新建社区食堂3个")
    page.get_by_role("link", name="已收到的建议").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已收到 1 条建议。").is_visible()
    assert "13812345678" not in page.content() and "王小明" not in page.content()
