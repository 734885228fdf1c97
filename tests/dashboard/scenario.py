"""A published plan with reporters, a reviewer, a leader and approved reports, for the dashboard, portal
and bulletin tests. Values are approved through the progress services, as people would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from factories import UserFactory, parsed_plan
from minsheng.interchange.services import plan_import
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan
from minsheng.plans.services import plan_publish
from minsheng.progress import services
from minsheng.progress.models import Period, ProgressReport

YEAR_END = dt.date(2024, 12, 31)


@dataclass
class Scenario:
    plan: Plan
    periods: list[Period]
    office: Any
    reviewer: Any
    leader: Any
    reporters: dict[int, Any] = field(default_factory=dict)  # unit id -> reporter

    def period(self, month: int) -> Period:
        return self.periods[month - 1]

    def items(self) -> list[Item]:
        return list(Item.objects.filter(project__plan=self.plan).order_by("project__position", "position"))

    def reporter_for(self, item: Item) -> Any:
        lead = ItemUnit.objects.filter(item=item, role=UnitRole.LEAD).order_by("position").first()
        return self.reporters[lead.unit_id]


def build(
    district: Any,
    *,
    projects: int = 2,
    items: int = 2,
    publish: bool = True,
    title: str | None = None,
    parsed: ParsedPlan | None = None,
) -> Scenario:
    """A plan of `projects` × `items` test items (or the `parsed` list), published, with periods and people."""
    office = UserFactory(role="office", region=district)
    plan = plan_import(
        acting_user=None,
        parsed=parsed or parsed_plan(projects, items),
        region=district,
        year=2024,
        title=title,
        source_name="test",
    ).plan
    if publish:
        plan = plan_publish(acting_user=None, plan=plan)
    periods = services.periods_generate(acting_user=office, plan=plan)
    scenario = Scenario(
        plan=plan,
        periods=periods,
        office=office,
        reviewer=UserFactory(role="reviewer", region=district),
        leader=UserFactory(role="leader", region=district),
    )
    for unit_id in set(
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).values_list(
            "unit_id", flat=True
        )
    ):
        unit = ItemUnit.objects.filter(unit_id=unit_id).first().unit
        scenario.reporters[unit_id] = UserFactory(role="reporter", unit=unit, region=district)
    return scenario


def approve(
    scenario: Scenario,
    item: Item,
    month: int,
    share: str,
    *,
    problems: str = "",
    photo: bytes | None = None,
    milestones: str = "in_progress",
) -> ProgressReport:
    """Report `share` (0–1) of every target of `item` in `month`, submit it and have it approved."""
    reporter = scenario.reporter_for(item)
    report = services.report_save(
        acting_user=reporter,
        item=item,
        period=scenario.period(month),
        target_values={
            t.pk: (t.value * Decimal(share)).quantize(Decimal("0.01")) for t in item.targets.all()
        },
        milestone_states={m.pk: milestones for m in item.milestones.all()},
        progress=f"{month}月完成计划的{Decimal(share) * 100:.0f}%",
        problems=problems,
    )
    if photo is not None:
        services.evidence_add(
            acting_user=reporter,
            report=report,
            upload=SimpleUploadedFile("site.jpg", photo),
            caption="施工现场",
        )
    services.report_submit(acting_user=reporter, report=report)
    return services.report_approve(acting_user=scenario.reviewer, report=report)
