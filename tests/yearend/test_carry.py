"""Carry-over (结转): unfinished items go into the next year's draft plan with their remaining targets,
linked both ways; done and terminated items stay behind; running it again adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from factories import ItemFactory, ItemUnitFactory, PlanFactory, TargetFactory
from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Item, Plan
from minsheng.progress.services import item_end
from minsheng.yearend.models import CarryOver, FinalResult
from minsheng.yearend.services import carry_over, remaining_target, year_close
from progress.factories import approved_report
from yearend.helpers import approved_on, lagging

pytestmark = pytest.mark.django_db


def _item(world, text, targets):
    item = ItemFactory(project=world.item.project, position=Item.objects.count() + 10, text=text)
    ItemUnitFactory(item=item, unit=world.lead, role="lead", position=1)
    for n, (quote, value, unit, op, baseline) in enumerate(targets, start=1):
        TargetFactory(item=item, position=n, quote=quote, value=value, unit=unit, op=op, baseline=baseline)
    return item


def test_remaining_targets_by_hand():
    def target(op, value, reached, baseline=None):
        return {"op": op, "value": value, "reached": reached, "baseline": baseline}

    assert remaining_target(target(">=", "20", "8")) == Decimal("12")
    assert remaining_target(target("=", "5", None)) == Decimal("5")
    assert remaining_target(target("~", "100", "97")) == Decimal("3")
    assert remaining_target(target(">=", "95", None, baseline="80")) == Decimal("15")
    assert remaining_target(target(">=", "10", "12")) == Decimal("0")
    assert remaining_target(target("<=", "3", "5")) is None  # a bound carries over unchanged


def test_unfinished_items_go_into_the_next_years_draft_with_what_remains(client, world):
    lagging(world)  # 8 of 20 km; the milestone 体育馆建成 under way
    done = _item(world, "新建公园2个", [("新建公园2个", Decimal("2"), "个", ">=", None)])
    approved_report(world, done, world.period(6), "2")
    cut = _item(world, "建设停车场1处", [("建设停车场1处", Decimal("1"), "处", ">=", None)])
    item_end(
        acting_user=world.office, item=cut, kind="terminated", reason="规划调整", ended_on=dt.date(2024, 9, 1)
    )
    bound = _item(
        world,
        "投诉率不高于3%，覆盖率达到95%",
        [
            ("投诉率不高于3%", Decimal("3"), "%", "<=", None),
            ("覆盖率达到95%", Decimal("95"), "%", ">=", Decimal("80")),
        ],
    )
    draft = PlanFactory(
        region=world.plan.region, year=2025, status="draft", title="2025年民生实事项目（投票）"
    )
    year_close(acting_user=world.office, plan=world.plan)

    result = carry_over(acting_user=world.office, plan=world.plan)
    assert result.plan == draft and not result.created
    assert {c.origin_id for c in result.carried} == {world.item.pk, bound.pk}
    carried = CarryOver.objects.get(origin=world.item).item
    assert carried.project.plan == draft and carried.project.name == "结转项目"
    assert carried.text == world.item.text
    target = carried.targets.get()
    assert (target.value, target.op, target.unit, target.due_date) == (
        Decimal("12"),
        ">=",
        "公里",
        dt.date(2025, 12, 31),
    )
    assert "剩余12公里" in target.quote
    assert [m.subject for m in carried.milestones.all()] == ["体育馆"]
    assert [u.unit_id for u in carried.item_units.all()] == [world.lead.pk, world.partner.pk]
    levels = CarryOver.objects.get(origin=bound).item.targets.order_by("position")
    assert [(t.op, t.value, t.baseline) for t in levels] == [
        ("<=", Decimal("3"), None),
        (">=", Decimal("95"), Decimal("80")),
    ]

    again = carry_over(acting_user=world.office, plan=world.plan)
    assert again.carried == [] and CarryOver.objects.count() == 2
    assert Item.objects.filter(project__plan=draft).count() == 2

    # Both years' pages show the link.
    client.force_login(world.office)
    old = client.get(reverse("progress:timeline", args=[world.item.pk])).content.decode()
    assert "Carried over into 2025" in old and reverse("progress:timeline", args=[carried.pk]) in old
    new = client.get(reverse("progress:timeline", args=[carried.pk])).content.decode()
    assert "Carried over from 2024" in new and reverse("progress:timeline", args=[world.item.pk]) in new
    client.logout()
    public = client.get(reverse("portal:item", args=[world.item.pk])).content.decode()
    assert "Carried over into 2025" in public and "draft, not yet published" in public


def test_without_a_draft_a_draft_plan_is_made(world):
    approved_on(world, world.item, world.period(3), "8", dt.date(2024, 4, 10))
    year_close(acting_user=world.office, plan=world.plan)
    result = carry_over(acting_user=world.office, plan=world.plan)
    assert result.created and result.plan.year == 2025 and result.plan.status == "draft"
    assert result.plan.title == "常州市金坛区2025年民生实事项目（结转）"
    assert Plan.objects.filter(year=2025).count() == 1


def test_an_open_year_does_not_carry_over(world):
    with pytest.raises(ValidationFailed, match="Close the year first"):
        carry_over(acting_user=world.office, plan=world.plan)
    assert not CarryOver.objects.exists()


def test_the_carry_button(client, world):
    lagging(world)
    year_close(acting_user=world.office, plan=world.plan)
    client.force_login(world.office)
    page = client.get(reverse("yearend:plan", args=[world.plan.pk])).content.decode()
    assert "Carry over the unfinished items" in page
    assert client.post(reverse("yearend:carry", args=[world.plan.pk])).status_code == 302
    assert CarryOver.objects.filter(origin=world.item).exists()
    client.force_login(world.leader)
    assert client.post(reverse("yearend:carry", args=[world.plan.pk])).status_code == 403


def test_the_year_end_page_costs_the_same_whatever_the_number_of_items(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("yearend:plan", args=[world.plan.pk])).status_code == 200
        return len(queries)

    lagging(world)
    client.force_login(world.office)
    for n in range(6):
        _item(world, f"新建驿站{n}", [(f"新建驿站{n + 1}个", Decimal(n + 1), "个", ">=", None)])
    year_close(acting_user=world.office, plan=world.plan)
    carry_over(acting_user=world.office, plan=world.plan)
    few = cost()
    for n in range(6, 18):
        item = _item(world, f"新建驿站{n}", [(f"新建驿站{n + 1}个", Decimal(n + 1), "个", ">=", None)])
        result = FinalResult.objects.get(item=world.item)
        result.pk, result.item = None, item
        result.save()
    CarryOver.objects.all().delete()
    carry_over(acting_user=world.office, plan=world.plan)
    assert FinalResult.objects.count() == 19 and CarryOver.objects.count() == 19
    assert cost() == few
