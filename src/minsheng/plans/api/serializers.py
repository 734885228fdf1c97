"""Plans, projects and targets as JSON."""

from __future__ import annotations

from rest_framework import serializers

from minsheng.plans.models import Plan, Project, Target


class PlanSerializer(serializers.ModelSerializer[Plan]):
    region = serializers.CharField(source="region.name", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "region", "region_code", "year", "title", "status", "project_count", "updated_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer[Project]):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "plan", "no", "name", "alias", "category", "starred", "position", "item_count"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer[Target]):
    """A target; the office corrects `quote`, `value`, `unit`, `op`, `baseline`, `range_max`, `due_date`."""

    plan = serializers.IntegerField(source="item.project.plan_id", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "item",
            "position",
            "quote",
            "value",
            "unit",
            "op",
            "baseline",
            "range_max",
            "due_date",
        ]
        read_only_fields = ["id", "plan", "item", "position"]
        extra_kwargs = {
            "value": {"coerce_to_string": False},
            "baseline": {"coerce_to_string": False},
            "range_max": {"coerce_to_string": False},
        }
