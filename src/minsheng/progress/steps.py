"""Progress's steps on the plan's "what next" strip (core.nav): periods, reporter accounts, reporting."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.core.nav import StepState
from minsheng.orgs.choices import UnitKind
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan
from minsheng.progress import policies
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, ProgressReport
from minsheng.progress.services import current_period


def _inbox(plan: Plan, user: Any) -> str | None:
    return reverse("progress:inbox") + f"?plan={plan.pk}" if policies.can_manage(user, plan) else None


def periods_state(plan: Plan, user: Any) -> StepState:
    count = Period.objects.filter(plan=plan).count()
    if count:
        return StepState(True, _("%d reporting periods") % count, _inbox(plan, user))
    return StepState(False, _("no reporting periods yet"), _inbox(plan, user))


def accounts_state(plan: Plan, user: Any) -> StepState:
    """Each lead unit needs a reporter account (a town counts for the group word 各镇（街道） it stands under)."""
    leads = set(
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).values_list(
            "unit_id", "unit__kind", "unit__region_id"
        )
    )
    reporters = set(
        User.objects.filter(is_active=True, groups__name=Role.REPORTER, unit__isnull=False).values_list(
            "unit_id", "unit__kind", "unit__region_id"
        )
    )
    with_unit = {unit_id for unit_id, _kind, _region in reporters}
    town_regions = {region for _unit, kind, region in reporters if kind == UnitKind.TOWN}
    missing = [
        unit_id
        for unit_id, kind, region_id in leads
        if unit_id not in with_unit and not (kind == UnitKind.GROUP and region_id in town_regions)
    ]
    total = len({unit_id for unit_id, _kind, _region in leads})
    detail = _("%(ok)d of %(n)d lead units have a reporter") % {"ok": total - len(missing), "n": total}
    href = None
    if policies.can_manage(user, plan):
        try:
            href = reverse("accounts:user_list")
        except NoReverseMatch:  # the account pages are not installed
            href = None
    return StepState(not missing and total > 0, detail, href)


def reporting_state(plan: Plan, user: Any) -> StepState:
    """Done when every item has an approved report for the current period."""
    period = current_period(plan)
    if period is None:
        return StepState(False, _("no period to report on"))
    items = Item.objects.filter(project__plan=plan).count()
    counts = ProgressReport.objects.filter(period=period).aggregate(
        approved=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
        waiting=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
    )
    approved, waiting = counts["approved"], counts["waiting"]
    detail = _("%(period)s: %(ok)d of %(n)d items approved, %(w)d waiting for review") % {
        "period": period,
        "ok": approved,
        "n": items,
        "w": waiting,
    }
    href = reverse("progress:queue") if policies.can_review(user, plan) else _inbox(plan, user)
    return StepState(items > 0 and approved >= items, detail, href)
