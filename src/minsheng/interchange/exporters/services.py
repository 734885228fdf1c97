"""Produce a document and record who took it (one AuditEvent per export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Plan

if TYPE_CHECKING:
    from minsheng.accounts.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Exported:
    """A generated file: its bytes, media type and a file name to offer."""

    content: bytes
    content_type: str
    filename: str


def _writers() -> dict[str, tuple[Callable[[Plan], bytes], str, str]]:
    from minsheng.interchange.exporters.open_data import open_data_csv, open_data_json_bytes
    from minsheng.interchange.exporters.plan_docx import plan_docx
    from minsheng.interchange.exporters.plan_xlsx import plan_xlsx
    from minsheng.interchange.exporters.progress_xlsx import progress_xlsx

    return {
        "docx": (plan_docx, DOCX, "{title}.docx"),
        "xlsx": (plan_xlsx, XLSX, "{title}.xlsx"),
        "csv": (open_data_csv, "text/csv; charset=utf-8", "{title}-open-data.csv"),
        "open-json": (open_data_json_bytes, "application/json", "{title}-open-data.json"),
        "progress-xlsx": (progress_xlsx, XLSX, "{title}-progress.xlsx"),
    }


FORMATS = ("docx", "xlsx", "csv", "open-json", "progress-xlsx")


def plan_file(plan: Plan, fmt: str) -> Exported:
    """The plan as `fmt` without recording anything (public downloads of a published plan)."""
    writers = _writers()
    if fmt not in writers:
        raise ValidationFailed(
            f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.", field="format"
        )
    write, content_type, name = writers[fmt]
    return Exported(content=write(plan), content_type=content_type, filename=name.format(title=plan.title))


@transaction.atomic
def plan_document(*, acting_user: User | None, plan: Plan, fmt: str) -> Exported:
    """The plan as `fmt`: docx / xlsx (official attachment), csv / open-json (open data), progress-xlsx."""
    writers = _writers()
    if fmt not in writers:
        raise ValidationFailed(
            f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.", field="format"
        )
    write, content_type, name = writers[fmt]
    content = write(plan)
    audit_record(actor=acting_user, action=Action.EXPORT, obj=plan, plan=plan, after={"format": fmt})
    return Exported(content=content, content_type=content_type, filename=name.format(title=plan.title))
