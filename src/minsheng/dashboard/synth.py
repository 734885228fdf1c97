"""A synthetic province for load tests (`minsheng synth --districts N --months M`).

Districts differ (not copies): each has its own number of units, projects, items, targets and milestones,
and its items move at their own speed — some ahead, some lagging, some stalled — with the last month's
reports partly approved, partly waiting for review, partly returned, partly missing. Rows are written in
bulk (no audit trail: this is test data, never a real district), then the stored lights are built and the
database analysed, as after an import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from minsheng.alerts.lights import lights_refresh
from minsheng.alerts.maintenance import database_optimize
from minsheng.orgs.models import Region, Unit
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target
from minsheng.progress.models import MilestoneState, Period, ProgressReport, TargetValue

DEPARTMENTS = ("教育局", "卫健委", "民政局", "住建局", "交通运输局", "水利局", "人社局", "农业农村局", "文体旅局", "城管局",
               "市场监管局", "医保局", "公安分局", "生态环境局", "自然资源局", "残联", "妇联", "团委", "供电公司", "水务集团")  # fmt: skip
THEMES = ("教育", "医疗", "养老", "托育", "住房", "交通", "水务", "就业", "文体", "环境", "治安", "助残")
UNITS = (
    ("所", 1, 30),
    ("个", 1, 60),
    ("公里", 1, 200),
    ("户", 100, 20000),
    ("人次", 1000, 100000),
    ("%", 80, 100),
)


@dataclass
class SynthResult:
    districts: int
    plans: int
    items: int
    reports: int
    values: int


def _period_rows(plan: Plan, year: int) -> list[Period]:
    rows = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        rows.append(
            Period(
                plan=plan,
                number=month,
                start=dt.date(year, month, 1),
                end=dt.date(year, month, last),
                deadline=dt.date(year, month, min(25, last)),
            )
        )
    return rows


def _district(city: Region, n: int, year: int, months: int, rng: random.Random) -> tuple[int, int, int]:
    """One district's list and `months` months of reports; returns (items, reports, values)."""
    district, _ = Region.objects.get_or_create(
        code=f"synth-{city.code}-{n:03d}",
        defaults={"name": f"合成{n}区", "parent": city, "level": "district"},
    )
    units = Unit.objects.bulk_create(
        [
            Unit(name=f"合成{n}区{name}", region=district)
            for name in rng.sample(DEPARTMENTS, rng.randint(6, 20))
        ]
    )
    plan = Plan.objects.create(
        region=district, year=year, title=f"{year}年合成{n}区民生实事项目", status="published"
    )
    periods = Period.objects.bulk_create(_period_rows(plan, year))
    projects = Project.objects.bulk_create(
        [
            Project(plan=plan, no=k + 1, position=k + 1, name=f"{theme}惠民工程")
            for k, theme in enumerate(rng.sample(THEMES, rng.randint(4, 12)))
        ]
    )
    items = Item.objects.bulk_create(
        [
            Item(project=project, position=p + 1, text=f"{project.name}第{p + 1}项：新建、改造一批设施。")
            for project in projects
            for p in range(rng.randint(1, 6))
        ]
    )
    lead_rows, targets, milestones = [], [], []
    for item in items:
        lead = rng.choice(units)
        lead_rows.append(ItemUnit(item=item, unit=lead, role="lead", position=1, written_as=lead.name))
        for t in range(rng.choice((0, 1, 1, 2, 2, 3))):
            unit, low, high = rng.choice(UNITS)
            value = Decimal(rng.randint(low, high))
            targets.append(
                Target(
                    item=item,
                    position=t + 1,
                    quote=f"完成{value}{unit}",
                    value=value,
                    unit=unit,
                    op=">=",
                    due_date=dt.date(year, rng.choice((6, 9, 12)), 28 if rng.random() < 0.3 else 30),
                )
            )
        for m in range(rng.choice((0, 0, 1, 2))):
            milestones.append(
                Milestone(
                    item=item,
                    position=m + 1,
                    quote="建成投用",
                    subject="主体工程",
                    state="建成",
                    due_date=dt.date(year, rng.randint(3, 12), 15),
                )
            )
    ItemUnit.objects.bulk_create(lead_rows)
    Target.objects.bulk_create(targets)
    Milestone.objects.bulk_create(milestones)
    lead_of = {row.item_id: row.unit_id for row in lead_rows}
    targets_of: dict[int, list[Target]] = {}
    for target in targets:
        targets_of.setdefault(target.item_id, []).append(target)
    milestones_of: dict[int, list[Milestone]] = {}
    for milestone in milestones:
        milestones_of.setdefault(milestone.item_id, []).append(milestone)

    speed = {item.pk: rng.choice((0.3, 0.7, 0.9, 1.0, 1.1, 1.3)) for item in items}
    reports, values, states = [], [], []
    for month in range(1, months + 1):
        period = periods[month - 1]
        stamp = timezone.make_aware(dt.datetime.combine(period.deadline, dt.time(10)))
        for item in items:
            last = month == months
            roll = rng.random()
            if last and roll < 0.1:
                continue  # missing: the light turns red once the deadline passes
            status = "approved"
            if last and roll < 0.3:
                status = "submitted"
            elif (last and roll < 0.37) or (not last and roll < 0.03):
                status = "returned"
            report = ProgressReport(
                item=item,
                period=period,
                unit_id=lead_of[item.pk],
                status=status,
                version=2 if status == "returned" else 1,
                progress=f"{month}月按计划推进。",
                problems="资金到位偏慢。" if speed[item.pk] < 0.8 else "",
                submitted_at=stamp,
                reviewed_at=stamp if status in ("approved", "returned") else None,
                review_comment="请补充佐证材料。" if status == "returned" else "",
            )
            reports.append(report)
            share = min(1.3, speed[item.pk] * month / 12)
            for target in targets_of.get(item.pk, []):
                values.append(
                    (report, target, (target.value * Decimal(str(round(share, 3)))).quantize(Decimal(1)))
                )
            for milestone in milestones_of.get(item.pk, []):
                states.append(
                    (
                        report,
                        milestone,
                        "done" if share >= 0.9 else "in_progress" if share > 0.2 else "not_started",
                    )
                )
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    TargetValue.objects.bulk_create(
        [TargetValue(report=r, target=t, value=v) for r, t, v in values], batch_size=5000
    )
    MilestoneState.objects.bulk_create(
        [MilestoneState(report=r, milestone=m, state=s) for r, m, s in states], batch_size=5000
    )
    return len(items), len(reports), len(values) + len(states)


def synth(
    *, districts: int, months: int | None = None, seed: int = 2024, year: int | None = None
) -> SynthResult:
    """Add `districts` districts (under 合成省 / 合成市) with `months` months of reports each (default: the
    months whose deadline, the 25th, has passed — so only the newest month's gaps turn red)."""
    today = timezone.localdate()
    year = year or today.year
    if months is None:
        months = 12 if year < today.year else max(1, today.month - (0 if today.day > 25 else 1))
    rng = random.Random(seed)
    province, _ = Region.objects.get_or_create(
        code="synth-99", defaults={"name": "合成省", "level": "province"}
    )
    city, _ = Region.objects.get_or_create(
        code="synth-9901", defaults={"name": "合成市", "parent": province, "level": "city"}
    )
    start = city.children.count()
    totals = [0, 0, 0]
    for n in range(start, start + districts):
        with transaction.atomic():
            for k, count in enumerate(_district(city, n, year, months, rng)):
                totals[k] += count
    plans = list(Plan.objects.filter(region__parent=city).values_list("pk", flat=True))
    lights_refresh(plans)
    database_optimize(full=True)
    return SynthResult(districts, len(plans), *totals)
