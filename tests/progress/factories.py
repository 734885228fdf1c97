"""A small published plan with its units and people, for the progress and alerts tests."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from PIL import Image

from factories import (
    ItemFactory,
    ItemUnitFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    TargetFactory,
    UnitFactory,
    UserFactory,
)
from minsheng.plans.models import Item, Plan
from minsheng.progress import services, sheets
from minsheng.progress.models import Period, ProgressReport


@dataclass
class World:
    """One plan of 2024 in 金坛区: lead unit 区住建局, partner 区水利局, an outsider 区教育局."""

    plan: Plan
    periods: list[Period]
    item: Item
    lead: Any
    partner: Any
    other: Any
    reporter: Any
    partner_reporter: Any
    other_reporter: Any
    reviewer: Any
    office: Any
    leader: Any
    deputy: Any

    def period(self, month: int) -> Period:
        return self.periods[month - 1]

    def add_item(self, *, targets: int = 1, milestones: int = 0, lead: Any = None) -> Item:
        project = self.item.project
        item = ItemFactory(project=project)
        ItemUnitFactory(item=item, unit=lead or self.lead, role="lead", position=1)
        ItemUnitFactory(item=item, unit=self.partner, role="partner", position=1)
        for n in range(targets):
            TargetFactory(
                item=item, position=n + 1, quote=f"改造管网{n + 1}0公里", value=Decimal(10 * (n + 1))
            )
        for n in range(milestones):
            MilestoneFactory(item=item, position=n + 1, due_date=dt.date(2024, 6, 30))
        return item


def build_world(district: Any) -> World:
    plan = PlanFactory(region=district, year=2024, status="published")
    project = ProjectFactory(plan=plan, no=1, name="安居金坛")
    lead = UnitFactory(name="区住建局", region=district)
    partner = UnitFactory(name="区水利局", region=district)
    other = UnitFactory(name="区教育局", region=district)
    item = ItemFactory(project=project, position=1, text="改造老旧小区管网20公里，建成体育馆1座。")
    ItemUnitFactory(item=item, unit=lead, role="lead", position=1)
    ItemUnitFactory(item=item, unit=partner, role="partner", position=1)
    TargetFactory(
        item=item, position=1, quote="改造老旧小区管网20公里", value=Decimal("20"), unit="公里", op=">="
    )
    MilestoneFactory(item=item, position=1, subject="体育馆", state="建成", due_date=dt.date(2024, 12, 31))
    office = UserFactory(username="office", role="office", region=district)
    periods = services.periods_generate(acting_user=office, plan=plan)
    return World(
        plan=plan,
        periods=periods,
        item=item,
        lead=lead,
        partner=partner,
        other=other,
        reporter=UserFactory(username="zhujian", role="reporter", unit=lead, region=district),
        partner_reporter=UserFactory(username="shuili", role="reporter", unit=partner, region=district),
        other_reporter=UserFactory(username="jiaoyu", role="reporter", unit=other, region=district),
        reviewer=UserFactory(username="reviewer", role="reviewer", region=district),
        office=office,
        leader=UserFactory(username="leader", role="leader", region=district),
        deputy=UserFactory(username="deputy", role="deputy", region=district),
    )


def filled_report(world: World, item: Item, period: Period, value: str = "8", **extra: Any) -> ProgressReport:
    """A draft with every target valued and the progress described."""
    return services.report_save(
        acting_user=world.reporter,
        item=item,
        period=period,
        target_values={t.pk: value for t in item.targets.all()},
        milestone_states={m.pk: "in_progress" for m in item.milestones.all()},
        progress="完成管网改造8公里",
        **extra,
    )


def approved_report(world: World, item: Item, period: Period, value: str = "8") -> ProgressReport:
    report = filled_report(world, item, period, value)
    services.report_submit(acting_user=world.reporter, report=report)
    return services.report_approve(acting_user=world.reviewer, report=report)


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying EXIF GPS coordinates and a camera model."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "PhoneCam X"  # Model
    exif[0x8825] = {1: "N", 2: (31.0, 44.0, 12.5), 3: "E", 4: (119.0, 34.0, 2.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def fill_sheet(data: bytes, edits: dict[tuple[str, int], Any]) -> bytes:
    """Set cells by (row id, column number) like a person in Excel would."""
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheets.SHEET]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for (key, col), value in edits.items():
        sheet.cell(row=rows[key], column=col).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
