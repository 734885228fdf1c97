"""The official attachment layout (附件 + title + 序号/项目名称/主要内容/责任单位/配合单位) as plain rows,
shared by the Word and Excel writers so both files carry the same content."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Plan
from minsheng.plans.selectors import plan_detail

ATTACHMENT_LINE = "附件"
HEADER = ["序号", "项目名称", "主要内容", "责任单位", "配合单位"]
STAR = "★"


@dataclass
class ItemRow:
    """One row of 主要内容 with its units (one unit per line in the cell) and extra columns."""

    text: str
    lead_units: list[str]
    partner_units: list[str]
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectBlock:
    """A project: its 序号 and 项目名称 cells are merged down over its item rows."""

    no: int
    name_cell: str
    category: str
    items: list[ItemRow]


@dataclass
class PlanSheet:
    """Everything the attachment shows."""

    title: str
    header: list[str]
    extra_keys: list[str]
    projects: list[ProjectBlock]


def project_name_cell(name: str, alias: str, starred: bool) -> str:
    """项目名称 as printed: the name (★ after it when starred), the alias in brackets on the next line."""
    text = name + (STAR if starred else "")
    if alias:
        text += f"\n（{alias}）"
    return text


def _extra_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def plan_sheet(plan: Plan) -> PlanSheet:
    """The plan's rows in list order; extra item columns (完成时限, 投资 …) follow 配合单位 in first-seen order."""
    plan = plan_detail(plan.pk)
    extra_keys: list[str] = []
    projects: list[ProjectBlock] = []
    for project in plan.projects.all():
        rows: list[ItemRow] = []
        for item in project.items.all():
            units = list(item.item_units.all())
            extra = {str(k): _extra_text(v) for k, v in (item.extra or {}).items()}
            for key in extra:
                if key not in extra_keys:
                    extra_keys.append(key)
            rows.append(
                ItemRow(
                    text=item.text,
                    lead_units=[u.written_as for u in units if u.role == UnitRole.LEAD],
                    partner_units=[u.written_as for u in units if u.role == UnitRole.PARTNER],
                    extra=extra,
                )
            )
        projects.append(
            ProjectBlock(
                no=project.no,
                name_cell=project_name_cell(project.name, project.alias, project.starred),
                category=project.category,
                items=rows,
            )
        )
    return PlanSheet(
        title=plan.title, header=[*HEADER, *extra_keys], extra_keys=extra_keys, projects=projects
    )


def unit_cell(units: list[str]) -> str:
    """Units one per line, as offices print them."""
    return "\n".join(units)


def row_cells(sheet: PlanSheet, item: ItemRow) -> list[str]:
    """The cells after 项目名称: 主要内容, 责任单位, 配合单位 and the extra columns."""
    return [
        item.text,
        unit_cell(item.lead_units),
        unit_cell(item.partner_units),
        *(item.extra.get(key, "") for key in sheet.extra_keys),
    ]


def merge_runs(values: list[str]) -> list[tuple[int, int]]:
    """(first, last) index runs of equal, non-empty neighbours: the unit cells merged down as printed."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[start]:
            runs.append((start, i - 1))
            start = i
    return runs
