"""`core.children.children_load` reads an object's children of several kinds in one statement and leaves
them as `prefetch_related` would: the same rows, values and order, no query when they are used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import (
    ItemFactory,
    ItemUnitFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    RegionFactory,
    TargetFactory,
    UnitFactory,
)
from minsheng.core.prepared import prepared_statements
from minsheng.plans.models import Item
from minsheng.progress.children import ITEM_PARTS, item_children_load

pytestmark = pytest.mark.django_db


def _item() -> Item:
    district = RegionFactory(name="金坛区")
    project = ProjectFactory(plan=PlanFactory(region=district, year=2024), no=1)
    item = ItemFactory(project=project, position=1)
    lead, partner, other = (
        UnitFactory(name=n, region=district) for n in ("区住建局", "区水利局", "区教育局")
    )
    ItemUnitFactory(item=item, unit=partner, role="partner", position=2)
    ItemUnitFactory(item=item, unit=lead, role="lead", position=1)
    ItemUnitFactory(item=item, unit=other, role="partner", position=1, written_as="教育局")
    TargetFactory(item=item, position=2, quote="新增学位2000个", value=Decimal("2000"), unit="个", op=">=")
    TargetFactory(
        item=item,
        position=1,
        quote="改造管网10.5至12公里",
        value=Decimal("10.5"),
        range_max=Decimal("12"),
        baseline=Decimal("0.1"),
        due_date=dt.date(2024, 9, 30),
    )
    MilestoneFactory(item=item, position=1, subject="体育馆", state="建成", due_date=dt.date(2024, 12, 31))
    ItemFactory(project=project, position=2)  # a neighbour whose rows must not come along
    return Item.objects.get(pk=item.pk)


def _fields(rows: list) -> list[dict]:
    return [{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} for row in rows]


@pytest.mark.parametrize("prepared", [False, True])
def test_the_children_come_in_one_statement_as_the_orm_reads_them(prepared: bool) -> None:
    item = _item()
    expected = {
        "item_units": list(item.item_units.order_by("role", "position").select_related("unit")),
        "targets": list(item.targets.order_by("position")),
        "milestones": list(item.milestones.order_by("position")),
    }
    with CaptureQueriesContext(connection) as queries:
        if prepared:
            with prepared_statements():
                item_children_load(item)
        else:
            item_children_load(item)
        loaded = {spec.name: list(getattr(item, spec.name).all()) for spec in ITEM_PARTS}
        units = [iu.unit.name for iu in loaded["item_units"]]
        parents = {row.item for rows in loaded.values() for row in rows}
    assert len(queries) == 1
    for name, rows in expected.items():
        assert _fields(loaded[name]) == _fields(rows), name
    assert units == ["区住建局", "区教育局", "区水利局"]  # lead first, then partners by position
    assert parents == {item} and next(iter(parents)) is item
    target = loaded["targets"][0]
    assert all(isinstance(v, Decimal) for v in (target.value, target.range_max, target.baseline))
    assert (target.value, target.range_max, target.baseline, target.due_date) == (
        Decimal("10.5"),
        Decimal("12"),
        Decimal("0.1"),
        dt.date(2024, 9, 30),
    )


def test_an_object_without_children_gets_empty_lists_and_reads_them_again_when_asked() -> None:
    item = ItemFactory(project=ProjectFactory(plan=PlanFactory(region=RegionFactory(), year=2024), no=1))
    item_children_load(item)
    with CaptureQueriesContext(connection) as queries:
        assert [list(getattr(item, spec.name).all()) for spec in ITEM_PARTS] == [[], [], []]
    assert len(queries) == 0
    TargetFactory(item=item, position=1, quote="新增1个", value=Decimal("1"))
    item_children_load(item)  # a second load replaces what the first cached
    assert [t.quote for t in item.targets.all()] == ["新增1个"]
