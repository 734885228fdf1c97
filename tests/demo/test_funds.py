"""demo.funds.seed_funds: planned money for every item, consistent funds on the seeded reports; idempotent."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import pytest

from minsheng.demo.activity import seed_activity
from minsheng.demo.funds import seed_funds
from minsheng.funds.models import FundLight, PlannedFund, ReportFunds
from minsheng.plans.models import Item
from progress.factories import World, build_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 10)


@pytest.fixture
def world(district: Any) -> World:
    world = build_world(district)
    for _ in range(5):
        world.add_item(targets=1, milestones=1)
    return world


def test_funds_are_consistent_and_seeded_once(world: World) -> None:
    seed_activity(world.plan, today=TODAY)
    seeded = seed_funds(world.plan)
    items = Item.objects.filter(project__plan=world.plan).count()
    assert seeded == ReportFunds.objects.count() > 0
    assert PlannedFund.objects.values("item_id").distinct().count() == items
    assert {"higher", "local", "social"} <= set(PlannedFund.objects.values_list("source", flat=True))
    history: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for funds in ReportFunds.objects.select_related("report__period").order_by("report__period__start"):
        history[funds.report.item_id].append((funds.in_place, funds.paid))
        assert 0 <= funds.paid <= funds.in_place
    for rows in history.values():
        assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(rows))  # cumulative
    assert FundLight.objects.count() == items
    before = (PlannedFund.objects.count(), ReportFunds.objects.count())
    assert seed_funds(world.plan) == 0
    assert (PlannedFund.objects.count(), ReportFunds.objects.count()) == before
