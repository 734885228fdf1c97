"""Who may see and do what with progress reports.

- Reporter: reports on items its unit leads (directly, or as a town/street standing under a group word
  such as 各镇（街道）); adds the contribution (配合情况) of its unit on items where it is a partner.
- Reviewer and office: review reports of plans in their region; the office also manages periods,
  extensions, item endings and settings. Nobody approves their own unit's report.
- Leader: sees every item's report status in the region, not the content of unapproved reports.
- Deputy: sees approved reports only.
Original evidence files (with GPS and camera metadata) are for the office and reviewers only.
"""

from __future__ import annotations

from typing import Any

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import region_is_within
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, Plan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def in_region(user: Any, plan: Plan) -> bool:
    """A user without a region works on every region; otherwise on theirs and those under it."""
    return user.region_id is None or region_is_within(plan.region, user.region)


def unit_stands_for(listed: Any, unit: Any) -> bool:
    """True when the unit named in the list is `unit`, or a group word covering it (its towns/streets)."""
    if listed.pk == unit.pk:
        return True
    return listed.kind == UnitKind.GROUP and unit.kind == UnitKind.TOWN and listed.region_id == unit.region_id


def _item_units(item: Item, role: str) -> list[Any]:
    """The item's units of one role; uses the prefetch cache when there is one."""
    return [iu.unit for iu in item.item_units.all() if iu.role == role]


def _user_unit_has_role(user: Any, item: Item, role: str) -> bool:
    if not _signed_in(user) or user.unit_id is None or not has_role(user, Role.REPORTER):
        return False
    units = _item_units(item, role)
    if any(unit.pk == user.unit_id for unit in units):
        return True  # the usual case, without reading the user's unit
    return any(unit_stands_for(unit, user.unit) for unit in units)


def is_reviewer(user: Any, plan: Plan) -> bool:
    """Reviewers and office staff of the plan's region."""
    return (has_role(user, Role.REVIEWER) or has_role(user, Role.OFFICE)) and in_region(user, plan)


def is_office(user: Any, plan: Plan) -> bool:
    return has_role(user, Role.OFFICE) and in_region(user, plan)


def can_report(user: Any, item: Item) -> bool:
    """A reporter of a lead unit of the item, on a published plan."""
    return item.project.plan.status == PlanStatus.PUBLISHED and _user_unit_has_role(user, item, UnitRole.LEAD)


def can_contribute(user: Any, item: Item) -> bool:
    """A reporter of a partner unit adds its 配合情况."""
    return item.project.plan.status == PlanStatus.PUBLISHED and _user_unit_has_role(
        user, item, UnitRole.PARTNER
    )


def can_review(user: Any, plan: Plan) -> bool:
    return is_reviewer(user, plan)


def can_approve(user: Any, report: ProgressReport) -> bool:
    """Reviewers of the region, never for their own unit's report."""
    if not can_review(user, report.item.project.plan):
        return False
    return user.unit_id is None or not unit_stands_for(report.unit, user.unit)


def can_manage(user: Any, plan: Plan) -> bool:
    """Periods, settings, closing, extensions and item endings are the office's."""
    return is_office(user, plan)


def can_view_status(user: Any, plan: Plan) -> bool:
    """Report status and lights: everyone signed in who works on the region, and the units."""
    if not _signed_in(user):
        return False
    if any(has_role(user, role) for role in (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)):
        return in_region(user, plan) and (plan.status == PlanStatus.PUBLISHED or is_office(user, plan))
    return has_role(user, Role.REPORTER) and plan.status == PlanStatus.PUBLISHED


def can_view_report(user: Any, report: ProgressReport) -> bool:
    """Content (values, texts, evidence) of a report."""
    item = report.item
    plan = item.project.plan
    if is_reviewer(user, plan):
        return True
    if can_report(user, item) or can_contribute(user, item):
        return True
    if report.status != ReportStatus.APPROVED:
        return False
    if (has_role(user, Role.LEADER) or has_role(user, Role.DEPUTY)) and in_region(user, plan):
        return plan.status == PlanStatus.PUBLISHED
    return False


def can_view_item(user: Any, item: Item) -> bool:
    """The item's timeline: approved reports for readers, all reports for the units and reviewers."""
    plan = item.project.plan
    if is_reviewer(user, plan):
        return True
    if can_report(user, item) or can_contribute(user, item):
        return True
    return (has_role(user, Role.LEADER) or has_role(user, Role.DEPUTY)) and can_view_status(user, plan)


def can_see_unapproved(user: Any, item: Item) -> bool:
    """Drafts and submitted reports: the units that write them and the reviewers."""
    return is_reviewer(user, item.project.plan) or can_report(user, item) or can_contribute(user, item)


def can_view_original_evidence(user: Any, report: ProgressReport) -> bool:
    """Originals keep GPS and camera data: office and reviewers only."""
    return is_reviewer(user, report.item.project.plan)


def can_request_extension(user: Any, item: Item) -> bool:
    return can_report(user, item)


def reporter_in_plan_region(user: Any, plan: Plan) -> bool:
    """A reporter whose unit lies in the plan's region (a unit of another district never sees the plan)."""
    if not _signed_in(user) or user.unit_id is None or not has_role(user, Role.REPORTER):
        return False
    return region_is_within(user.unit.region, plan.region) and in_region(user, plan)


def can_use_sheet(user: Any, plan: Plan) -> bool:
    """Download/upload the reporting spreadsheet (and ask for extensions): reporters of a unit in the
    plan's region, the office for the plan."""
    if is_office(user, plan):
        return True
    return plan.status == PlanStatus.PUBLISHED and reporter_in_plan_region(user, plan)


def can_view_overdue(user: Any, plan: Plan) -> bool:
    """The overdue list: reviewers, the office and leaders of the region."""
    return is_reviewer(user, plan) or (has_role(user, Role.LEADER) and can_view_status(user, plan))


def uses_inbox(user: Any) -> bool:
    """Navigation: reporters work from "my items"."""
    return has_role(user, Role.REPORTER)


def uses_workbench(user: Any) -> bool:
    """Navigation: the office manages periods, closing, settings and sheets on the reporting page."""
    return has_role(user, Role.OFFICE) and not uses_inbox(user)


def uses_queue(user: Any) -> bool:
    """Navigation: reviewers and the office review reports."""
    return has_role(user, Role.REVIEWER) or has_role(user, Role.OFFICE)
