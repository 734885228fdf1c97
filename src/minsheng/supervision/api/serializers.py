"""Supervision notices and replies as JSON."""

from __future__ import annotations

from rest_framework import serializers

from minsheng.supervision.models import NoticeReply, SupervisionNotice


class NoticeReplySerializer(serializers.ModelSerializer[NoticeReply]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = NoticeReply
        fields = ["id", "unit", "unit_name", "author", "text", "created_at"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer[SupervisionNotice]):
    plan = serializers.IntegerField(source="item.project.plan_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)
    replies = NoticeReplySerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "plan",
            "item",
            "unit",
            "unit_name",
            "reason",
            "measures",
            "reply_deadline",
            "issued_by",
            "status",
            "decision_comment",
            "created_at",
            "closed_at",
            "replies",
        ]
        read_only_fields = fields


class NoticeIssueSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    unit = serializers.IntegerField(required=False, help_text="A lead unit of the item (default: the first).")
    reason = serializers.CharField()
    measures = serializers.CharField()
    reply_deadline = serializers.DateField()


class NoticeReplyInput(serializers.Serializer):
    text = serializers.CharField(help_text="The rectification made (整改情况).")


class NoticeDecisionInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
