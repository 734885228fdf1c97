"""Read inspections and questions, each in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import user_region_ids
from minsheng.participation.inspections.models import Inspection, InspectionPhoto, Question
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item

_READERS = (Role.OFFICE, Role.REVIEWER, Role.LEADER, Role.DEPUTY)


def _inspections() -> QuerySet[Inspection]:
    return (
        Inspection.objects.select_related("deputy", "plan")
        .prefetch_related(
            Prefetch("photos", queryset=InspectionPhoto.objects.order_by("pk")),
            Prefetch(
                "items",
                queryset=Item.objects.select_related("project").order_by("project__position", "position"),
            ),
        )
        .order_by("-visited_on", "-pk")
    )


def _questions() -> QuerySet[Question]:
    return Question.objects.select_related("item__project__plan", "unit", "deputy", "answered_by").order_by(
        "-created_at", "-pk"
    )


def _region_filter(user: Any, prefix: str) -> Q:
    if user.region_id is None:
        return Q()
    return Q(**{f"{prefix}region_id__in": user_region_ids(user)})


def inspections_visible(user: Any) -> QuerySet[Inspection]:
    """Inspections of published plans in the user's region (office, reviewers, leaders, deputies)."""
    if not any(has_role(user, r) for r in _READERS):
        return Inspection.objects.none()
    return _inspections().filter(_region_filter(user, "plan__"), plan__status=PlanStatus.PUBLISHED)


def questions_visible(user: Any) -> QuerySet[Question]:
    """Questions by region for the readers; those addressed to their unit for reporters."""
    if any(has_role(user, r) for r in _READERS):
        return _questions().filter(
            _region_filter(user, "item__project__plan__"), item__project__plan__status=PlanStatus.PUBLISHED
        )
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        own = Q(unit_id=user.unit_id)
        if user.unit.kind == UnitKind.TOWN:
            own |= Q(unit__kind=UnitKind.GROUP, unit__region_id=user.unit.region_id)
        return _questions().filter(own)
    return Question.objects.none()


def item_inspections(item: Item) -> list[Inspection]:
    """The item's inspections with their photos and items (four queries)."""
    return list(_inspections().filter(items=item))


def item_questions(item: Item) -> list[Question]:
    return list(_questions().filter(item=item))


def public_inspections(item: Item) -> list[Inspection]:
    """Inspections of the item the office made public, with photos (three queries)."""
    if item.project.plan.status != PlanStatus.PUBLISHED:
        return []
    photos = Prefetch("photos", queryset=InspectionPhoto.objects.order_by("pk"))
    return list(
        Inspection.objects.filter(items=item, public=True)
        .prefetch_related(photos)
        .order_by("-visited_on", "-pk")
    )


def unanswered_count(user: Any) -> int:
    return (
        questions_visible(user).filter(answered_at__isnull=True).count()
        if has_role(user, Role.REPORTER)
        else 0
    )
