"""Items with lights, periods and reports. Writes go through progress.services; errors map to HTTP in
minsheng.core.api.exceptions (TransitionError — approving a draft, editing an approved report — is 409)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from minsheng.core.api.exceptions import register_error_status
from minsheng.core.api.permissions import api_user
from minsheng.core.exceptions import ValidationFailed
from minsheng.core.shared import shared
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Target
from minsheng.plans.selectors import plan_list
from minsheng.progress import addons, policies, services
from minsheng.progress.api.extensions import CONTEXT_KEY, item_api_values, report_api_related
from minsheng.progress.api.filtersets import ItemFilterSet, PeriodFilterSet, ReportFilterSet
from minsheng.progress.api.serializers import (
    DecisionSerializer,
    ItemSerializer,
    PeriodSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ReportUpdateSerializer,
    ReportWriteSerializer,
    SubmitSerializer,
)
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import PartnerContribution, Period, ProgressReport
from minsheng.progress.providers import item_lights, item_statuses
from minsheng.progress.selectors import reports_visible

register_error_status(services.TransitionError, status.HTTP_409_CONFLICT)

ON_PARAMETER = OpenApiParameter(
    "on", OpenApiTypes.DATE, description="Compute lights as of this day (default today).", required=False
)


def _on(request: Request) -> dt.date | None:
    raw = request.query_params.get("on")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(_("on: “%s” is not a date (YYYY-MM-DD).") % raw, field="on") from None


def lights_for(items: Sequence[Item], on: dt.date | None) -> dict[int, Any]:
    """Lights of `items`, computed plan by plan (a fixed number of queries per plan, not per item)."""
    by_plan: dict[int, list[int]] = defaultdict(list)
    plans: dict[int, Plan] = {}
    for item in items:
        by_plan[item.project.plan_id].append(item.pk)
        plans[item.project.plan_id] = item.project.plan
    if on is None:
        # Today's lights: the stored ones, one query for all plans.
        return item_lights(list(plans.values()), item_ids=[i.pk for i in items])
    lights: dict[int, Any] = {}
    for plan_id, ids in by_plan.items():
        lights.update(item_statuses(plans[plan_id], on=on, item_ids=ids))
    return lights


@extend_schema_view(
    list=extend_schema(parameters=[ON_PARAMETER]), retrieve=extend_schema(parameters=[ON_PARAMETER])
)
class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """主要内容条目 with `status`, `completion` (0–1) and their targets' `reached` values.

    `?plan=ID&lead_unit=NAME` gives a unit's items of one plan.
    """

    queryset = Item.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet

    def get_queryset(self) -> QuerySet[Item]:
        return (
            Item.objects.filter(project__plan__in=plan_list(self.request.user).values("pk"))
            .select_related("project__plan")
            .prefetch_related(
                Prefetch(
                    "item_units",
                    queryset=ItemUnit.objects.select_related("unit").order_by("role", "position"),
                ),
                Prefetch("targets", queryset=Target.objects.order_by("position")),
                Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
            )
            .order_by("project__plan_id", "project__position", "project__no", "position")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The page is the same for every reader of the region with the same roles and unit (the plans
        # they see follow from those): built once and shared until something changes (core.shared).
        return Response(shared(request, "api:items", lambda: self._list_data(request), per_unit=True))

    def _list_data(self, request: Request) -> Any:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        serializer = self.get_serializer(
            items,
            many=True,
            context=self._context(items, _on(request)),
        )
        if page is not None:
            return self.get_paginated_response(serializer.data).data
        return serializer.data

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        return Response(self.get_serializer(item, context=self._context([item], _on(request))).data)

    def _context(self, items: Sequence[Item], on: dt.date | None) -> dict[str, Any]:
        """Lights and the other apps' fields (progress.api.extensions) of a page of items at once."""
        return {
            **self.get_serializer_context(),
            "statuses": lights_for(items, on),
            CONTEXT_KEY: item_api_values(items, on),
        }


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """填报周期 of the visible plans: `?plan=ID` → `id`, `start`, `end`, `deadline`."""

    queryset = Period.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.filter(plan__in=plan_list(self.request.user).values("pk")).order_by(
            "plan_id", "start"
        )


def content_checker(user: Any) -> Callable[[ProgressReport], bool]:
    """`report → bool` for reports of `reports_visible(user)`: may the user read the content?

    Follows progress.policies.can_view_report: reviewers and the item's units read everything; others
    (leaders) only approved reports. Remembers the reviewer check per plan: no query per report.
    """
    reviewer_of: dict[int, bool] = {}

    def visible(report: ProgressReport) -> bool:
        if report.status == ReportStatus.APPROVED:
            return True
        plan = report.item.project.plan
        if plan.pk not in reviewer_of:
            reviewer_of[plan.pk] = policies.is_reviewer(user, plan)
        return reviewer_of[plan.pk] or policies.can_see_unapproved(user, report.item)

    return visible


def _contributions() -> Prefetch:
    """A report's partner contributions as the API shows them: with their unit, by unit name."""
    return Prefetch(
        "contributions", queryset=PartnerContribution.objects.select_related("unit").order_by("unit__name")
    )


@extend_schema_view(
    create=extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer}),
    update=extend_schema(request=ReportUpdateSerializer, responses=ReportSerializer),
    partial_update=extend_schema(request=ReportUpdateSerializer, responses=ReportSerializer),
)
class ReportViewSet(viewsets.ModelViewSet):
    """进度报告: a lead unit's report on an item for a period.

    Create a draft with POST, change it with PUT/PATCH and the `version` you read (a stale version gets
    409), then `submit`; reviewers `approve` or `return` (with a `comment`).
    """

    queryset = ProgressReport.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return (
            reports_visible(self.request.user)
            .select_related("item__project__plan__region", "period", "unit", *report_api_related())
            .prefetch_related(
                Prefetch("item__item_units", queryset=ItemUnit.objects.select_related("unit")),
                "target_values",
                "milestone_states",
                _contributions(),
            )
            .order_by("period__start", "item__project__position", "item__position", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["content_visible"] = content_checker(self.request.user)
        return context

    def _respond(self, report: ProgressReport, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=report.pk).first()
        if fresh is None:  # written but no longer readable: answer with what the writer knows
            return Response(
                {"id": report.pk, "status": report.status, "version": report.version}, status=code
            )
        return Response(self.get_serializer(fresh).data, status=code)

    def _respond_to_writer(self, report: ProgressReport, code: int) -> Response:
        """The report as its writer just left it: the writer (its lead unit) reads its content, so the
        report is read back by id with its parts, not through the reader's region scope."""
        fresh = (
            ProgressReport.objects.select_related("period", "unit", *report_api_related())
            .prefetch_related("target_values", "milestone_states", _contributions())
            .get(pk=report.pk)
        )
        serializer = ReportSerializer(
            fresh, context={**super().get_serializer_context(), "content_visible": None}
        )
        return Response(serializer.data, status=code)

    def _save(self, request: Request, data: ReportWriteSerializer, **kwargs: Any) -> ProgressReport:
        """report_save with the other apps' parts of the API's write (funds, values per site), and the
        submission when asked: one transaction, or nothing."""
        return services.report_save(
            acting_user=api_user(request),
            **kwargs,
            **data.service_kwargs(),
            parts=lambda report: addons.api_save(
                acting_user=api_user(request), report=report, data=data.validated_data
            ),
            submit=data.validated_data["submit"],
            confirmed=data.validated_data["confirmed"],
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = services.item_for_write(data.validated_data["item"])
        except Item.DoesNotExist:
            raise Http404 from None
        period = get_object_or_404(Period, pk=data.validated_data["period"])
        try:
            report = self._save(request, data, item=item, period=period, expected_version=0)
        except services.ConflictError:
            existing = ProgressReport.objects.filter(item=item, period=period).values("pk", "version").first()
            if existing is None:
                raise
            return Response(
                {
                    "detail": _(
                        "This item already has a report for this period; change it with PATCH "
                        "/api/reports/%(id)s/ and its version."
                    )
                    % {"id": existing["pk"]},
                    "id": existing["pk"],
                    "version": existing["version"],
                },
                status=status.HTTP_409_CONFLICT,
            )
        return self._respond_to_writer(report, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        data = ReportUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = self._save(
            request,
            data,
            item=report.item,
            period=report.period,
            expected_version=data.validated_data["version"],
        )
        return self._respond_to_writer(report, status.HTTP_200_OK)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    @extend_schema(request=SubmitSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """Draft or returned → submitted (every target needs a value and the progress a description;
        unusual values need `confirmed`)."""
        report = self.get_object()
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_submit(
            acting_user=api_user(request),
            report=report,
            expected_version=data.validated_data.get("version"),
            confirmed=data.validated_data["confirmed"],
        )
        return self._respond(report)

    def _decide(self, request: Request, decide: Callable[..., ProgressReport]) -> Response:
        report = self.get_object()
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = decide(
            acting_user=api_user(request),
            report=report,
            comment=data.validated_data["comment"],
            expected_version=data.validated_data.get("version"),
        )
        return self._respond(report)

    @extend_schema(request=DecisionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Submitted → approved: the values count towards progress (reviewers of the region)."""
        return self._decide(request, services.report_approve)

    @extend_schema(request=DecisionSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Submitted → returned with the reviewer's `comment` (required); the unit edits and resubmits."""
        return self._decide(request, services.report_return)
