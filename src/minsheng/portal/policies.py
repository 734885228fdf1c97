"""What the public portal (公开门户) may show: published plans, approved values, cleaned photos."""

from __future__ import annotations

from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Evidence


def is_public_plan(plan: Plan) -> bool:
    """Anyone may read a published plan."""
    return plan.status == PlanStatus.PUBLISHED


def is_public_photo(evidence: Evidence) -> bool:
    """A photo reaches the public when its report is approved, its plan published, and a copy without
    metadata exists (the original, with GPS and camera data, never leaves the office)."""
    report = evidence.report
    return (
        evidence.is_image
        and bool(evidence.public_copy)
        and report.status == ReportStatus.APPROVED
        and is_public_plan(report.item.project.plan)
    )
