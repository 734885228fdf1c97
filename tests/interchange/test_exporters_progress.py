"""Progress table and open data: only approved values, one row per target per period."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minsheng.demo.services import demo_regions
from minsheng.interchange.exporters.open_data import open_data_csv, open_data_json
from minsheng.interchange.exporters.progress_xlsx import progress_xlsx
from minsheng.interchange.services import plan_import
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.models import Target
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, ProgressReport, TargetValue

GOLD = Path(__file__).resolve().parents[1] / "parsing" / "corpus" / "shared" / "gold" / "jintan-2024.json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    parsed = ParsedPlan.from_dict(json.loads(GOLD.read_text(encoding="utf-8")))
    return plan_import(
        acting_user=None, parsed=parsed, region=demo_regions(), year=2024, source_name="gold"
    ).plan


def report(target: Target, month: int, value: str, status: str) -> ProgressReport:
    period, _ = Period.objects.get_or_create(
        plan=target.item.project.plan,
        start=dt.date(2024, month, 1),
        defaults={"number": month, "end": dt.date(2024, month, 28), "deadline": dt.date(2024, month, 25)},
    )
    lead = target.item.item_units.filter(role="lead").first().unit
    rep = ProgressReport.objects.create(item=target.item, period=period, unit=lead, status=status)
    TargetValue.objects.create(report=rep, target=target, value=Decimal(value))
    return rep


def test_progress_table_has_one_row_per_approved_target_value(plan):
    first = (
        Target.objects.filter(item__project__plan=plan)
        .order_by("item__project__position", "item__position")
        .first()
    )
    report(first, 3, "1000", ReportStatus.APPROVED)
    report(first, 4, "1750", ReportStatus.APPROVED)
    other = Target.objects.filter(item__project__plan=plan).exclude(item=first.item).first()
    report(other, 4, "5", ReportStatus.SUBMITTED)  # not approved: not in the table
    ws = load_workbook(io.BytesIO(progress_xlsx(plan))).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[5], r[9]) for r in rows] == [
        ("2024-03", first.quote, 1000),
        ("2024-04", first.quote, 1750),
    ]
    assert rows[1][10] == pytest.approx(1750 / 3500)
    assert ws["A2"].value == "期次"


def test_open_data_gives_latest_approved_value_per_target(plan):
    first = (
        Target.objects.filter(item__project__plan=plan)
        .order_by("item__project__position", "item__position")
        .first()
    )
    report(first, 3, "1000", ReportStatus.APPROVED)
    report(first, 4, "1750", ReportStatus.RETURNED)
    data = open_data_json(plan)
    record = next(r for r in data["records"] if r["target_quote"] == first.quote)
    assert record["reached"] == 1000 and record["reached_as_of"] == "2024-03-28"
    assert record["lead_units"] == ["区教育局"]
    assert data["region"] == "常州市金坛区"
    total_targets = Target.objects.filter(item__project__plan=plan).count()
    assert sum(1 for r in data["records"] if r["target_quote"]) == total_targets
    rows = list(csv.DictReader(io.StringIO(open_data_csv(plan).decode("utf-8-sig"))))
    assert len(rows) == len(data["records"])
    assert rows[0]["partner_units"] == "各镇（街道）、金坛建设"
    # No people in open data.
    assert not any(key in rows[0] for key in ("username", "reviewed_by", "submitted_by"))
