"""Plans, projects, items (with lights), targets and periods through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.conftest import ApiError
from factories import ItemUnitFactory, PlanFactory, UnitAliasFactory, UnitFactory, UserFactory
from minsheng.supervision.services import notice_issue, notice_reply
from progress.factories import World, approved_report

pytestmark = pytest.mark.django_db


def results(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["results"]


def test_items_of_a_lead_unit_with_status_completion_and_reached(world: World, api: Any) -> None:
    partner_led = world.add_item(lead=world.partner)
    approved_report(world, world.item, world.period(1), value="15")
    items = results(
        api("GET", f"/api/items/?plan={world.plan.pk}&lead_unit=区住建局&on=2024-01-31", user=world.reporter)
    )
    assert [i["id"] for i in items] == [world.item.pk]
    item = items[0]
    assert item["lead_units"] == ["区住建局"] and item["partner_units"] == ["区水利局"]
    assert item["status"] == "on_track" and item["colour"] == "green"
    target = item["targets"][0]
    assert (target["value"], target["unit"], target["op"], target["reached"]) == (20, "公里", ">=", 15)
    assert target["completion"] == 0.75
    assert 0 < item["completion"] < 1 and item["expected"] > 0
    partner_items = results(
        api("GET", f"/api/items/?plan={world.plan.pk}&lead_unit=区水利局", user=world.reporter)
    )
    assert [i["id"] for i in partner_items] == [partner_led.pk]


def test_lead_unit_by_alias_and_through_a_group_word(world: World, api: Any) -> None:
    UnitAliasFactory(unit=world.lead, name="区住建")
    town = UnitFactory(name="金城镇", region=world.plan.region, kind="town")
    group = UnitFactory(name="各镇（街道）", region=world.plan.region, kind="group")
    group_item = world.add_item(lead=group)
    by_alias = results(api("GET", f"/api/items/?plan={world.plan.pk}&lead_unit=区住建", user=world.office))
    assert world.item.pk in {i["id"] for i in by_alias}
    by_town = results(
        api("GET", f"/api/items/?plan={world.plan.pk}&lead_unit={town.name}", user=world.office)
    )
    assert [i["id"] for i in by_town] == [group_item.pk]


def test_a_late_report_makes_the_item_severe(world: World, api: Any) -> None:
    item = api("GET", f"/api/items/{world.item.pk}/?on=2024-02-26", user=world.leader)
    assert (item["status"], item["report_overdue"]) == ("severe", True)
    with pytest.raises(ApiError) as error:
        api("GET", f"/api/items/{world.item.pk}/?on=yesterday", user=world.leader)
    assert (error.value.status, error.value.body["field"]) == (400, "on")


def test_periods_of_a_plan(world: World, api: Any) -> None:
    periods = results(api("GET", f"/api/periods/?plan={world.plan.pk}", user=world.reporter))
    assert len(periods) == 12
    first = periods[0]
    assert (first["start"], first["end"], first["deadline"]) == ("2024-01-01", "2024-01-31", "2024-01-25")


def test_draft_plans_are_for_the_office_only(world: World, api: Any) -> None:
    draft = PlanFactory(region=world.plan.region, year=2025, status="draft")
    assert {p["id"] for p in results(api("GET", "/api/plans/", user=world.office))} == {
        world.plan.pk,
        draft.pk,
    }
    for user in (world.reviewer, world.leader, world.deputy, world.reporter):
        assert {p["id"] for p in results(api("GET", "/api/plans/", user=user))} == {world.plan.pk}
    with pytest.raises(ApiError) as error:
        api("GET", f"/api/plans/{draft.pk}/", user=world.leader)
    assert error.value.status == 404
    assert results(api("GET", "/api/plans/", user=world.other_reporter)) == []


def test_another_regions_office_sees_nothing(world: World, api: Any) -> None:
    elsewhere = UserFactory(username="office-elsewhere", role="office", region=PlanFactory().region)
    assert all(p["id"] != world.plan.pk for p in results(api("GET", "/api/plans/", user=elsewhere)))
    assert results(api("GET", f"/api/items/?plan={world.plan.pk}", user=elsewhere)) == []


def test_only_the_office_corrects_a_target(world: World, api: Any) -> None:
    target = world.item.targets.get()
    for user in (world.reviewer, world.reporter, world.leader):
        with pytest.raises(ApiError) as error:
            api("PATCH", f"/api/targets/{target.pk}/", {"value": 25}, user=user)
        assert error.value.status == 403
    # The plan is published: a changed target is an adjustment and needs its reason.
    with pytest.raises(ApiError) as error:
        api("PATCH", f"/api/targets/{target.pk}/", {"value": 25}, user=world.office)
    assert error.value.status == 400
    changed = api(
        "PATCH", f"/api/targets/{target.pk}/", {"value": 25, "reason": "征地延误"}, user=world.office
    )
    assert (changed["id"], changed["value"]) == (target.pk, 25)
    target.refresh_from_db()
    assert target.value == 25


def _grow(world: World, n: int) -> None:
    """n more items, each with two targets, a milestone, two partners, an approved report and a notice."""
    for _ in range(n):
        item = world.add_item(targets=2, milestones=1)
        ItemUnitFactory(item=item, unit=world.other, role="partner", position=2)
        approved_report(world, item, world.period(1))
        notice = notice_issue(
            acting_user=world.reviewer,
            item=item,
            reason="12月未报送",
            measures="立即报送",
            reply_deadline=timezone.localdate() + dt.timedelta(days=7),
        )
        notice_reply(acting_user=world.reporter, notice=notice, text="已报送")


@pytest.mark.parametrize(
    "path",
    [
        "/api/items/?plan={plan}",
        "/api/reports/?plan={plan}",
        "/api/targets/?plan={plan}",
        "/api/projects/",
        "/api/periods/?plan={plan}",
        "/api/notices/",
    ],
)
def test_list_query_counts_do_not_grow_with_the_items(
    world: World, api: Any, django_assert_max_num_queries: Any, path: str
) -> None:
    url = path.format(plan=world.plan.pk)
    api("GET", url, user=world.reviewer)  # token and first-use caches
    _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        api("GET", url, user=world.reviewer)
    _grow(world, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = api("GET", url, user=world.reviewer)
    assert data["count"] >= 1
