"""Filters for a plan's items: by project, by unit, by words in the text."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, Plan


class ItemFilterSet(django_filters.FilterSet):
    """Narrow a plan's items. Project choices come from the plan's (prefetched) projects."""

    project = django_filters.ChoiceFilter(
        label=_("Project"), field_name="project_id", empty_label=_("All projects")
    )
    unit = django_filters.CharFilter(label=_("Unit"), method="filter_unit")
    role = django_filters.ChoiceFilter(
        label=_("Unit role"), choices=UnitRole.choices, method="filter_role", empty_label=_("Lead or partner")
    )
    q = django_filters.CharFilter(label=_("Words"), method="filter_words")

    class Meta:
        model = Item
        fields = ("project", "unit", "role", "q")

    def __init__(self, data: Any = None, *, plan: Plan, **kwargs: Any) -> None:
        queryset = Item.objects.filter(project__plan=plan)
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["project"].extra["choices"] = [(p.pk, str(p)) for p in plan.projects.all()]

    @property
    def is_active(self) -> bool:
        """True when any filter has a value (otherwise the whole plan is shown without a query)."""
        return self.is_bound and any((self.data.get(name) or "").strip() for name in self.filters)

    def filter_unit(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        value = value.strip()
        if not value:
            return queryset
        role = (self.data.get("role") or "").strip()
        condition = Q(item_units__written_as__icontains=value) | Q(item_units__unit__name__icontains=value)
        if role in UnitRole.values:
            condition &= Q(item_units__role=role)
        return queryset.filter(condition).distinct()

    def filter_role(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        # The role narrows the unit filter; alone it keeps items that have a unit of that role.
        if (self.data.get("unit") or "").strip():
            return queryset
        return queryset.filter(item_units__role=value).distinct()

    def filter_words(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value) | Q(project__name__icontains=value) | Q(targets__quote__icontains=value)
        ).distinct()
