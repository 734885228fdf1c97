"""The reporter inbox is shared by readers of the same unit, region and roles (issue 11): it must follow
draft saves, contributions, submissions and decisions, and keep each reader's forms their own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minsheng.progress import services
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def inbox(user: Any, world: World, client: Client | None = None, status: int = 200) -> str:
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse("progress:inbox") + f"?plan={world.plan.pk}&period={world.period(3).pk}")
    assert response.status_code == status
    return response.content.decode()


def item_card(page: str, world: World) -> str:
    found = re.search(r'<li class="card">(.*?)</li>', page, re.S)
    assert found is not None
    return found.group(1)


def test_the_lead_units_inbox_follows_its_report_from_draft_to_approval(world: World) -> None:
    assert "not reported" in item_card(inbox(world.reporter, world), world)
    report = filled_report(world, world.item, world.period(3))  # a draft: no change stamp
    shown = item_card(inbox(world.reporter, world), world)
    assert 'class="badge draft"' in shown and "not reported" not in shown and "To report" in shown
    services.report_submit(acting_user=world.reporter, report=report)
    shown = item_card(inbox(world.reporter, world), world)
    assert 'class="badge submitted"' in shown and "To report" not in shown
    report.refresh_from_db()
    services.report_return(acting_user=world.reviewer, report=report, comment="请补充照片")
    shown = item_card(inbox(world.reporter, world), world)
    assert "Returned:" in shown and "请补充照片" in shown and "To report" in shown


def test_a_partners_contribution_clears_its_to_do(world: World) -> None:
    filled_report(world, world.item, world.period(3))
    assert "Add your contribution" in item_card(inbox(world.partner_reporter, world), world)
    services.partner_contribution_save(
        acting_user=world.partner_reporter, item=world.item, period=world.period(3), text="配合完成排水改造"
    )
    assert "Add your contribution" not in item_card(inbox(world.partner_reporter, world), world)


def test_units_do_not_see_each_others_inbox(world: World) -> None:
    own = inbox(world.reporter, world)
    assert world.item.text[:20] in own
    # A unit without items in the plan does not have the plan to choose: not found, not the lead's page.
    other = inbox(world.other_reporter, world, status=404)
    assert world.item.text[:20] not in other
    world.add_item(lead=world.other)
    other = inbox(world.other_reporter, world)
    assert world.item.text[:20] not in other and other.count('<li class="card">') == 1


def test_the_offices_forms_carry_each_requests_own_token_and_follow_the_period(world: World) -> None:
    from factories import UserFactory

    second_office = UserFactory(role="office", region=world.office.region)
    close = reverse("progress:period_close", args=[world.plan.pk, world.period(3).pk])
    first = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    inbox(world.office, world, first)
    page = inbox(second_office, world, Client(HTTP_ACCEPT_LANGUAGE="en"))
    assert f'action="{close}"' in page
    page = inbox(world.office, world, first)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = first.post(close, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    page = inbox(world.office, world, first)
    assert f'action="{close}"' not in page and "(closed)" in page


def test_a_cold_inbox_reads_the_same_number_of_queries_for_two_items_or_fourteen(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from minsheng.core.changes import changes_bump

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    filled_report(world, world.add_item(targets=2, milestones=1), world.period(3))
    inbox(world.reporter, world, client)
    changes_bump()
    with django_assert_max_num_queries(60) as small:
        inbox(world.reporter, world, client)
    queries = len(small.captured_queries)
    for _ in range(12):
        filled_report(world, world.add_item(targets=2, milestones=1), world.period(3))
    changes_bump()
    with django_assert_max_num_queries(queries):
        page = inbox(world.reporter, world, client)
    assert page.count('<li class="card">') == 14
