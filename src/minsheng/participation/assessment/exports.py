"""The unit scores as an .xlsx workbook (考核结果表), every text cell made safe."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from minsheng.core.spreadsheets import safe_workbook
from minsheng.participation.assessment.selectors import AssessmentTable, assessment_table
from minsheng.plans.models import Plan


def _number(value: object) -> float | None:
    return None if value is None else float(str(value))


def table_workbook(table: AssessmentTable) -> bytes:
    """One sheet: rank, unit, each part, total; the weights in the header row and a note below."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    plan = table.assessment.plan
    sheet.title = _("Unit assessment")[:31]
    sheet.append([f"{plan.title} · {_('Unit assessment')}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [_("Figures as of"), table.assessment.computed_on.isoformat() if table.assessment.computed_on else ""]
    )
    header = [_("Rank"), _("Unit")]
    header += [f"{label} ({weight})" for _part, label, weight in table.parts]
    header.append(_("Total"))
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for score in table.scores:
        row: list[object] = [score.rank, score.unit.name]
        row += [_number(getattr(score, part)) for part, _label, _weight in table.parts]
        row.append(_number(score.total))
        sheet.append(row)
    sheet.append([])
    sheet.append([_("An empty part does not apply; the total is the weighted mean of the parts that do.")])
    sheet.column_dimensions["B"].width = 28
    out = io.BytesIO()
    safe_workbook(book).save(out)
    return out.getvalue()


def assessment_workbook(plan: Plan) -> bytes | None:
    """The plan's scores as .xlsx bytes, or None before they are computed."""
    table = assessment_table(plan)
    return None if table is None else table_workbook(table)
