"""Re-importing a list keeps what the office corrected by hand (three-way merge with the last import)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from minsheng.interchange.services import plan_import, plan_import_preview
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.models import Item, Target
from minsheng.plans.services import item_units_set, target_create, target_update

pytestmark = pytest.mark.django_db


def listing(values: tuple[int, int, int] = (10, 3000, 5)) -> dict[str, Any]:
    """A list whose file names no units (like the one in the issue), eight items over two projects."""
    texts = [
        f"改造老旧小区{values[0]}个。",
        f"惠及居民{values[1]}户。",
        f"新建口袋公园{values[2]}个。",
        "新增停车泊位200个。",
        "建设城市书房2家。",
        "新增养老床位100张。",
        "建设老年助餐点15个。",
        "新增托育机构3家。",
    ]
    items = [{"text": t, "lead_units": [], "partner_units": []} for t in texts]
    from minsheng.parsing.targets import extract_targets

    for item in items:
        item["targets"] = [t.to_dict() for t in extract_targets(item["text"]).targets]
        item["milestones"] = []
    return {
        "region": "常州市金坛区",
        "year": 2024,
        "title": "2024年常州市金坛区民生实事项目清单",
        "projects": [
            {"no": 1, "name": "安居金沙", "alias": None, "items": items[:4]},
            {"no": 2, "name": "颐养金沙", "alias": None, "items": items[4:]},
        ],
    }


def do_import(data: dict[str, Any], district: Any, office: Any, **kwargs: Any) -> Any:
    return plan_import(
        acting_user=office,
        parsed=ParsedPlan.from_dict(copy.deepcopy(data)),
        region=district,
        year=None,
        source_name="list.json",
        **kwargs,
    )


def test_hand_edits_survive_a_reimport_with_two_numbers_changed(district, office):
    plan = do_import(listing(), district, office).plan
    items = list(Item.objects.filter(project__plan=plan).order_by("project__position", "position"))
    for n, item in enumerate(items):
        item_units_set(acting_user=office, item=item, role="lead", names=[f"区单位{n}"])
        item_units_set(acting_user=office, item=item, role="partner", names=["各镇（街道）"])
    by_hand = target_create(acting_user=office, item=items[3], quote="覆盖率95%", value="95", unit="%")
    kept = {t.quote: t.pk for t in Target.objects.filter(item__project__plan=plan)}

    result = do_import(listing((12, 3500, 5)), district, office)

    assert result.plan.pk == plan.pk
    items = list(Item.objects.filter(project__plan=plan).order_by("project__position", "position"))
    assert [[iu.written_as for iu in i.item_units.filter(role="lead")] for i in items] == [
        [f"区单位{n}"] for n in range(8)
    ]
    assert all(
        [iu.written_as for iu in i.item_units.filter(role="partner")] == ["各镇（街道）"] for i in items
    )
    assert Target.objects.filter(pk=by_hand.pk, value=95).exists()
    values = [t.value for t in items[0].targets.all()] + [t.value for t in items[1].targets.all()]
    assert values == [Decimal(12), Decimal(3500)]
    # The changed targets keep their rows (what was recorded against them stays); the rest are untouched.
    assert {t.pk for t in Target.objects.filter(item__project__plan=plan)} == set(kept.values())


def test_where_file_and_hand_disagree_the_preview_shows_both_and_the_office_chooses(district, office):
    plan = do_import(listing(), district, office).plan
    target = Target.objects.get(item__project__plan=plan, quote="改造老旧小区10个")
    target_update(acting_user=office, target=target, value="11")

    preview = plan_import_preview(
        parsed=ParsedPlan.from_dict(listing((12, 3000, 5))), region=district, year=None
    )
    [conflict] = preview.conflicts
    assert (conflict.hand["value"], conflict.file["value"], conflict.base["value"]) == (11, 12, 10)
    assert conflict.choice == "hand"

    do_import(listing((12, 3000, 5)), district, office, resolutions={conflict.key: "file"})
    target.refresh_from_db()
    assert target.value == Decimal(12)


def test_a_reimport_without_hand_edits_takes_the_file(district, office):
    plan = do_import(listing(), district, office).plan
    do_import(listing((12, 3000, 6)), district, office)
    values = sorted(t.value for t in Target.objects.filter(item__project__plan=plan))
    assert Decimal(12) in values and Decimal(6) in values and Decimal(10) not in values
