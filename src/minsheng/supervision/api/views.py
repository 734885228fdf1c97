"""Supervision notices: reviewers issue, close and return; the lead unit's reporters reply."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from minsheng.core.api.permissions import api_user
from minsheng.core.filters import IdFilter
from minsheng.orgs.models import Unit
from minsheng.plans.models import Item
from minsheng.supervision import services
from minsheng.supervision.api.serializers import (
    NoticeDecisionInput,
    NoticeIssueSerializer,
    NoticeReplyInput,
    NoticeSerializer,
)
from minsheng.supervision.choices import NoticeStatus
from minsheng.supervision.models import SupervisionNotice
from minsheng.supervision.selectors import notices_visible


class NoticeFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="item__project__plan_id")
    item = IdFilter(field_name="item_id")
    status = django_filters.ChoiceFilter(field_name="status", choices=NoticeStatus.choices)

    class Meta:
        model = SupervisionNotice
        fields = ["plan", "item", "status"]


class NoticeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """督办函 you may see; POST issues one (reviewers, on a lagging item), then `reply`, `close`, `return`."""

    queryset = SupervisionNotice.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet

    def get_queryset(self) -> QuerySet[SupervisionNotice]:
        return notices_visible(self.request.user).order_by("-created_at", "-pk")

    def _respond(self, notice: SupervisionNotice, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=notice.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=NoticeIssueSerializer, responses={201: NoticeSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = NoticeIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=values["item"])
        unit = get_object_or_404(Unit, pk=values["unit"]) if values.get("unit") else None
        notice = services.notice_issue(
            acting_user=api_user(request),
            item=item,
            unit=unit,
            reason=values["reason"],
            measures=values["measures"],
            reply_deadline=values["reply_deadline"],
        )
        return self._respond(notice, status.HTTP_201_CREATED)

    @extend_schema(request=NoticeReplyInput, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None) -> Response:
        """The lead unit's rectification (issued or returned → replied)."""
        notice = self.get_object()
        data = NoticeReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.notice_reply(acting_user=api_user(request), notice=notice, text=data.validated_data["text"])
        return self._respond(notice)

    def _decide(self, request: Request, decide: Callable[..., SupervisionNotice]) -> Response:
        notice = self.get_object()
        data = NoticeDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decide(acting_user=api_user(request), notice=notice, comment=data.validated_data["comment"])
        return self._respond(notice)

    @extend_schema(request=NoticeDecisionInput, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """办结销号: replied → closed."""
        return self._decide(request, services.notice_close)

    @extend_schema(request=NoticeDecisionInput, responses=NoticeSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """Replied → returned with a `comment` saying what is missing."""
        return self._decide(request, services.notice_return)
