"""Query filters of the plans API."""

from __future__ import annotations

import django_filters

from minsheng.core.filters import IdFilter
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Plan, Project, Target


class PlanFilterSet(django_filters.FilterSet):
    year = IdFilter(field_name="year")
    status = django_filters.ChoiceFilter(field_name="status", choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["year", "status"]


class ProjectFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")

    class Meta:
        model = Project
        fields = ["plan"]


class TargetFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="item__project__plan_id")
    item = IdFilter(field_name="item_id")

    class Meta:
        model = Target
        fields = ["plan", "item"]
