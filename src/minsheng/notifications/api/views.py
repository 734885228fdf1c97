"""`GET /api/notifications/` (your own, newest first) and `POST /api/notifications/ID/read/`."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from minsheng.core.api.permissions import api_user
from minsheng.notifications.models import Notification
from minsheng.notifications.selectors import notifications_for
from minsheng.notifications.services import notification_mark_read


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """站内通知 sent to you: reminders, notices, review decisions."""

    queryset = Notification.objects.none()  # the model, for the schema; get_queryset scopes by user
    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notification = notification_mark_read(acting_user=api_user(request), notification=self.get_object())
        return Response(self.get_serializer(notification).data)
