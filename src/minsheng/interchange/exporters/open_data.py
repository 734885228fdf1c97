"""Open data (开放数据): the published plan with its latest approved values, one record per target, as CSV
(UTF-8 with BOM so Excel opens it) and JSON. No personal data: units, never people."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from minsheng.core.spreadsheets import safe_row
from minsheng.interchange.exporters.progress_xlsx import approved_values
from minsheng.orgs.selectors import region_display_name
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Plan
from minsheng.plans.selectors import plan_detail

FIELDS = [
    "year",
    "region",
    "project_no",
    "project_name",
    "item_position",
    "item_text",
    "lead_units",
    "partner_units",
    "target_quote",
    "target_value",
    "target_unit",
    "target_op",
    "due_date",
    "reached",
    "reached_as_of",
]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def open_data_records(plan: Plan) -> list[dict[str, Any]]:
    """One record per target (items without targets get one record with empty target fields)."""
    latest: dict[int, tuple[Decimal, str]] = {}
    for tv in approved_values(plan):  # oldest period first: later periods overwrite
        latest[tv.target_id] = (tv.value, tv.report.period.end.isoformat())
    plan = plan_detail(plan.pk)
    region = region_display_name(plan.region)
    records: list[dict[str, Any]] = []
    for project in plan.projects.all():
        for item in project.items.all():
            units = list(item.item_units.all())
            base = {
                "year": plan.year,
                "region": region,
                "project_no": project.no,
                "project_name": project.name,
                "item_position": item.position,
                "item_text": item.text,
                "lead_units": [u.written_as for u in units if u.role == UnitRole.LEAD],
                "partner_units": [u.written_as for u in units if u.role == UnitRole.PARTNER],
            }
            targets = list(item.targets.all())
            if not targets:
                records.append({**base, **dict.fromkeys(FIELDS[8:])})
            for target in targets:
                reached, as_of = latest.get(target.pk, (None, None))
                records.append(
                    {
                        **base,
                        "target_quote": target.quote,
                        "target_value": _number(target.value),
                        "target_unit": target.unit,
                        "target_op": target.op,
                        "due_date": target.due_date.isoformat(),
                        "reached": _number(reached),
                        "reached_as_of": as_of,
                    }
                )
    return records


def open_data_json(plan: Plan) -> dict[str, Any]:
    """The open data document: the plan's identity and its records."""
    return {
        "title": plan.title,
        "year": plan.year,
        "region": region_display_name(plan.region),
        "fields": FIELDS,
        "records": open_data_records(plan),
    }


def open_data_json_bytes(plan: Plan) -> bytes:
    return (json.dumps(open_data_json(plan), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def open_data_csv(plan: Plan) -> bytes:
    """CSV with a header row; unit lists joined with 、."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for record in open_data_records(plan):
        row = dict(record)
        row["lead_units"] = "、".join(record["lead_units"])
        row["partner_units"] = "、".join(record["partner_units"])
        writer.writerow(safe_row({k: "" if v is None else v for k, v in row.items()}))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
