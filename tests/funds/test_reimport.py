"""Re-importing a list into a published plan: its new items get their planned money from the list's 投资
column in the import's transaction (`plans.signals.plan_imported`); items with planned money keep it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from interchange.test_reimport import do_import
from minsheng.audit.models import AuditEvent
from minsheng.funds.models import PlannedFund
from minsheng.funds.services import planned_funds_set
from minsheng.plans.models import Item, Plan
from minsheng.plans.services import plan_publish

pytestmark = pytest.mark.django_db

PARK = "新建口袋公园5个。"
BEDS = "新增养老床位100张。"
LIBRARY = "建设城市书房2家。"


def _item(text: str, **extra: Any) -> dict[str, Any]:
    from minsheng.parsing.targets import extract_targets

    targets = [t.to_dict() for t in extract_targets(text).targets]
    return {
        "text": text,
        "lead_units": [],
        "partner_units": [],
        "targets": targets,
        "milestones": [],
        **extra,
    }


def _listing(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "region": "常州市金坛区",
        "year": 2024,
        "title": "2024年常州市金坛区民生实事项目清单",
        "projects": [{"no": 1, "name": "安居金沙", "alias": None, "items": list(items)}],
    }


def _import(data: dict[str, Any], district: Any, office: Any, **kwargs: Any) -> Plan:
    return do_import(data, district, office, **kwargs).plan


def _planned(plan: Plan) -> dict[str, tuple[str, Decimal]]:
    return {
        p.item.text: (p.source, p.amount)
        for p in PlannedFund.objects.filter(item__project__plan=plan).select_related("item")
    }


def test_new_items_of_a_reimport_get_planned_money_from_the_list(district, office):
    first = _listing(_item(PARK, total_investment_wanyuan="1200"), _item(BEDS))
    plan = _import(first, district, office)
    assert _planned(plan) == {}  # a draft gets its money when published
    plan_publish(acting_user=office, plan=plan)
    assert _planned(plan) == {PARK: ("other", Decimal(1200))}
    # The office corrects the park's money by hand: a re-import does not overwrite it.
    park = Item.objects.get(project__plan=plan, text=PARK)
    planned_funds_set(acting_user=office, item=park, amounts={"local": "1500"})

    second = _listing(
        _item(PARK, total_investment_wanyuan="2000"),
        _item(BEDS),
        _item(LIBRARY, annual_investment_wanyuan="投资300万元", funding_source="区财政"),
    )
    _import(second, district, office, reason="区政府常务会议增补城市书房项目")

    assert _planned(plan) == {PARK: ("local", Decimal(1500)), LIBRARY: ("local", Decimal(300))}
    assert AuditEvent.objects.filter(message="planned_funds_from_list", plan_id=plan.pk).count() == 2

    # The same list again changes nothing and adds no money twice.
    _import(second, district, office, reason="重复导入")
    assert PlannedFund.objects.filter(item__project__plan=plan).count() == 2
    assert AuditEvent.objects.filter(message="planned_funds_from_list", plan_id=plan.pk).count() == 2
