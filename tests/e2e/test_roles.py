"""Each role's day in a browser, by clicking only: from the sign-in page to each page the role works on
(issue 12). Screenshot: the review queue (MINSHENG_SCREENSHOTS=1; test_programme takes the others)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from e2e.conftest import sign_in
from factories import PASSWORD
from minsheng.progress import services
from minsheng.supervision.services import notice_issue
from progress.factories import World, approved_report, build_world, filled_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(district: Any) -> World:
    world = build_world(district)
    second = world.add_item(targets=1)
    approved_report(world, world.item, world.period(5), value="6")
    services.report_submit(
        acting_user=world.reporter, report=filled_report(world, second, world.period(6), "3")
    )
    notice_issue(
        acting_user=world.reviewer,
        item=world.item,
        reason="进度滞后于序时",
        measures="倒排工期",
        reply_deadline=dt.date(2027, 1, 10),
    )
    return world


def _click_nav(page: Any, url: str) -> None:
    page.locator(f'nav.site-nav a[href="{url}"]').click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith(url), page.url


def _start(browser: Any, base: str, user: Any, **context: Any) -> Any:
    page = browser.new_context(locale="zh-CN", **context).new_page()
    sign_in(page, base, user.username, PASSWORD, reverse("start"))
    return page


def test_office_reaches_every_page_of_the_programme(live_server: Any, browser: Any, day: World) -> None:
    page = _start(browser, live_server.url, day.office)
    assert page.url.endswith(reverse("plans:plan_list"))
    page.locator(f'a[href="{reverse("plans:plan_detail", args=[day.plan.pk])}"]').first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".plan-steps").is_visible()  # what comes next: import → … → reporting
    page.locator(".plan-steps a", has_text="填报期").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("form[action*='close-due'] button").is_visible()  # close every past month at once
    for url in ("/progress/review/", "/supervision/", "/bulletins/", "/dashboard/", "/import/"):
        _click_nav(page, url)
    page.context.close()


def test_reviewer_approves_from_the_queue_grouped_by_plan(
    live_server: Any, browser: Any, day: World, shots: Path
) -> None:
    page = _start(browser, live_server.url, day.reviewer, viewport={"width": 1100, "height": 900})
    assert page.url.endswith(reverse("progress:queue"))
    assert page.locator("section.queue-plan h2", has_text=day.plan.title).is_visible()
    page.screenshot(path=str(shots / "review-queue.png"), full_page=True)
    page.locator("button.decision-approve").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages").is_visible()
    _click_nav(page, "/bulletins/")
    _click_nav(page, "/supervision/")
    page.context.close()


def test_reporter_reaches_the_report_form_and_the_notice(live_server: Any, browser: Any, day: World) -> None:
    page = _start(browser, live_server.url, day.reporter, viewport={"width": 390, "height": 844})
    assert page.url.split("?")[0].endswith(reverse("progress:inbox"))
    page.locator("ul.cards h2 a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("form.report-form").is_visible()
    _click_nav(page, "/supervision/")
    page.locator("table a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("a[href$='letter.docx']").is_visible()  # the 督办函 to download
    page.context.close()


@pytest.mark.parametrize("role", ["leader", "deputy"])
def test_leader_and_deputy_land_on_the_dashboard_and_open_timelines(
    live_server: Any, browser: Any, day: World, role: str
) -> None:
    page = _start(browser, live_server.url, getattr(day, role))
    assert page.url.split("?")[0].endswith(reverse("dashboard:overview"))
    # The tile with every item (no status filter), then an item's internal timeline.
    page.locator("a[href*='/dashboard/items/']:not([href*='status=']):not([href*='overdue'])").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("a[href*='/progress/items/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/progress/items/" in page.url and page.locator("h1").is_visible()
    _click_nav(page, "/bulletins/")
    _click_nav(page, "/supervision/")
    page.context.close()
