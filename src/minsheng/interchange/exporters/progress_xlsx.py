"""Progress table (.xlsx): one row per target per period, with the approved cumulative value.

Only approved reports count (issue 4): drafts, submitted and returned reports are left out, so the table
can go to anyone who may see approved progress.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from minsheng.core.spreadsheets import safe_workbook
from minsheng.interchange.exporters.plan_xlsx import FANGSONG, HEITI, fit_to_width
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Plan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import TargetValue

HEADER = [
    "期次",
    "项目序号",
    "项目名称",
    "主要内容",
    "责任单位",
    "指标",
    "目标值",
    "单位",
    "比较",
    "完成值",
    "完成率",
    "审核时间",
]
WIDTHS = [10, 8, 16, 50, 18, 30, 12, 8, 6, 12, 9, 18]


def approved_values(plan: Plan) -> list[TargetValue]:
    """Approved target values of the plan, oldest period first, in list order (one query)."""
    return list(
        TargetValue.objects.filter(report__period__plan=plan, report__status=ReportStatus.APPROVED)
        .select_related("report__period", "report__unit", "target__item__project")
        .order_by(
            "report__period__start",
            "target__item__project__position",
            "target__item__position",
            "target__position",
        )
    )


def ratio(reached: Decimal, target: Decimal) -> float | None:
    """reached / target, or None when the target is zero (a bound such as 零事故)."""
    if not target:
        return None
    return float(reached / target)


def progress_xlsx(plan: Plan) -> bytes:
    """The .xlsx bytes of the progress table."""
    from minsheng.plans.models import ItemUnit

    leads: dict[int, list[str]] = {}
    for item_id, written in (
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD)
        .order_by("position")
        .values_list("item_id", "written_as")
    ):
        leads.setdefault(item_id, []).append(written)
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "进度"
    ws.append([f"{plan.title}进度表"])
    ws["A1"].font = Font(name=HEITI, size=16)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(name=HEITI, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body = Font(name=FANGSONG, size=10)
    for tv in approved_values(plan):
        target = tv.target
        item = target.item
        share = ratio(tv.value, target.value)
        ws.append(
            [
                str(tv.report.period),
                item.project.no,
                item.project.name,
                item.text,
                "、".join(leads.get(item.pk, [])),
                target.quote,
                float(target.value),
                target.unit,
                target.op,
                float(tv.value),
                share,
                tv.report.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M")
                if tv.report.reviewed_at
                else "",
            ]
        )
        for cell in ws[ws.max_row]:
            cell.font = body
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        ws.cell(row=ws.max_row, column=11).number_format = "0.0%"
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(HEADER))}{max(ws.max_row, 2)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.print_title_rows = "2:2"
    fit_to_width(ws)
    out = io.BytesIO()
    safe_workbook(book)
    book.save(out)
    return out.getvalue()
