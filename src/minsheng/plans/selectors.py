"""Read plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.selectors import user_region_ids
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Adjustment, Item, ItemUnit, Milestone, Plan, Project, Target


def plan_detail(plan_id: int) -> Plan:
    """The plan with projects → items → item units (with units), targets and milestones prefetched.

    A fixed number of queries whatever the size of the plan. Raises Plan.DoesNotExist.
    """
    items = Item.objects.order_by("position").prefetch_related(
        Prefetch("item_units", queryset=ItemUnit.objects.select_related("unit").order_by("role", "position")),
        Prefetch("targets", queryset=Target.objects.order_by("position")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
    )
    projects = Project.objects.order_by("position", "no").prefetch_related(Prefetch("items", queryset=items))
    return (
        Plan.objects.select_related("region")
        .prefetch_related(Prefetch("projects", queryset=projects))
        .get(pk=plan_id)
    )


def plan_list(user: Any) -> QuerySet[Plan]:
    """Plans `user` may see, newest year first, with their project count."""
    plans = Plan.objects.select_related("region").annotate(project_count=Count("projects"))
    if not getattr(user, "is_authenticated", False):
        return plans.none()
    if not has_role(user, Role.OFFICE):
        plans = plans.filter(status=PlanStatus.PUBLISHED)
    if has_role(user, Role.REPORTER) and not any(
        has_role(user, r) for r in (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)
    ):
        if user.unit_id is None:
            return plans.none()
        # Plans the unit takes part in directly, or through a group word of the unit's region.
        direct = ItemUnit.objects.filter(unit_id=user.unit_id).values("item__project__plan")
        grouped = ItemUnit.objects.filter(unit__kind="group", unit__region_id=user.unit.region_id).values(
            "item__project__plan"
        )
        plans = plans.filter(Q(pk__in=direct) | Q(pk__in=grouped))
    elif user.region_id is not None:
        plans = plans.filter(region_id__in=user_region_ids(user))
    return plans.order_by("-year", "region__code", "title")


def plan_counts(plan: Plan) -> dict[str, int]:
    """How many projects, items, targets and milestones the plan has."""
    return {
        "projects": Project.objects.filter(plan=plan).count(),
        "items": Item.objects.filter(project__plan=plan).count(),
        "targets": Target.objects.filter(item__project__plan=plan).count(),
        "milestones": Milestone.objects.filter(item__project__plan=plan).count(),
    }


def plan_units(plan: Plan, role: str | None = None) -> QuerySet[ItemUnit]:
    """The plan's item units (optionally of one role), with units, in list order."""
    qs = ItemUnit.objects.filter(item__project__plan=plan).select_related("unit", "item__project")
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("item__project__position", "item__position", "role", "position")


def items_without_lead(plan: Plan) -> QuerySet[Item]:
    """The plan's items nobody leads yet (nobody could report on them), with their projects, in list order."""
    return (
        Item.objects.filter(project__plan=plan)
        .exclude(item_units__role="lead")
        .select_related("project")
        .order_by("project__position", "position")
    )


def adjustments_of(item: Item) -> list[Adjustment]:
    """An item's adjustments (项目调整) after publishing, oldest first: the portal shows them beside the
    original."""
    return list(Adjustment.objects.filter(item=item).order_by("created_at", "pk"))
