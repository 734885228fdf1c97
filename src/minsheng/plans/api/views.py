"""Plans, projects and targets: readable as on the plan pages; targets corrected by the office."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from minsheng.core.api.permissions import api_user, policy_check
from minsheng.plans.adjustments import target_correct
from minsheng.plans.api.filtersets import PlanFilterSet, ProjectFilterSet, TargetFilterSet
from minsheng.plans.api.serializers import PlanSerializer, ProjectSerializer, TargetSerializer
from minsheng.plans.models import Plan, Project, Target
from minsheng.plans.policies import can_edit_plan
from minsheng.plans.selectors import plan_list


def visible_plan_ids(request: Request) -> QuerySet[Plan, Any]:
    """Primary keys of the plans the user sees on the plan pages (plans.selectors.plan_list)."""
    return plan_list(request.user).values("pk")


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """清单: the plans you may see (office: drafts too)."""

    queryset = Plan.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet

    def get_queryset(self) -> QuerySet[Plan]:
        return plan_list(self.request.user)


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """项目 of the visible plans; `?plan=ID` narrows to one plan."""

    queryset = Project.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self) -> QuerySet[Project]:
        return (
            Project.objects.filter(plan__in=visible_plan_ids(self.request))
            .annotate(item_count=Count("items"))
            .order_by("plan_id", "position", "no")
        )


class TargetViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """目标指标 of the visible plans; the plan's office corrects one with PATCH (audited, keeps its id)."""

    queryset = Target.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Target]:
        return (
            Target.objects.filter(item__project__plan__in=visible_plan_ids(self.request))
            .select_related("item__project")
            .order_by("item__project__plan_id", "item__project__position", "item__position", "position")
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = self.get_object()
        plan = Plan.objects.select_related("region").get(pk=target.item.project.plan_id)
        policy_check(
            can_edit_plan,
            request,
            plan,
            message="Only the supervision office of this plan's region may change it.",
        )
        serializer = self.get_serializer(target, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # After publishing a change is an adjustment (项目调整): the body carries its "reason".
        target = target_correct(
            acting_user=api_user(request),
            target=target,
            reason=str(request.data.get("reason", "")),
            **serializer.validated_data,
        )
        return Response(self.get_serializer(target).data)
