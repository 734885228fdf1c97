"""Query filters of the progress API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from minsheng.core.filters import IdFilter
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import normalize_name
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, ProgressReport


def units_named(name: str) -> QuerySet[Unit]:
    """Units called `name` or having it as an alias (区卫健局 finds 区卫生健康局)."""
    names = {name.strip(), normalize_name(name)}
    return Unit.objects.filter(Q(name__in=names) | Q(aliases__name__in=names)).distinct()


def items_led_by(
    queryset: QuerySet[Item], units: QuerySet[Unit], role: str = UnitRole.LEAD
) -> QuerySet[Item]:
    """Items where one of `units` has `role`, directly or through a group word standing for its town."""
    towns = units.filter(kind=UnitKind.TOWN)
    covered = Q(item_units__unit__in=units) | Q(
        item_units__unit__kind=UnitKind.GROUP, item_units__unit__region_id__in=towns.values("region_id")
    )
    matching = Item.objects.filter(covered, item_units__role=role).values("pk")
    return queryset.filter(pk__in=matching)


class ItemFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="project__plan_id", label=_("Plan id"))
    project = IdFilter(field_name="project_id", label=_("Project id"))
    lead_unit = django_filters.CharFilter(
        method="filter_lead_unit",
        label=_("Lead unit name or alias (group words such as 各镇（街道） cover their towns)"),
    )
    partner_unit = django_filters.CharFilter(
        method="filter_partner_unit", label=_("Partner unit name or alias")
    )

    class Meta:
        model = Item
        fields = ["plan", "project", "lead_unit", "partner_unit"]

    def filter_lead_unit(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return items_led_by(queryset, units_named(value), UnitRole.LEAD)

    def filter_partner_unit(self, queryset: QuerySet[Item], name: str, value: str) -> QuerySet[Item]:
        return items_led_by(queryset, units_named(value), UnitRole.PARTNER)


class PeriodFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label=_("Plan id"))

    class Meta:
        model = Period
        fields = ["plan"]


class ReportFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="period__plan_id", label=_("Plan id"))
    period = IdFilter(field_name="period_id", label=_("Period id"))
    item = IdFilter(field_name="item_id", label=_("Item id"))
    unit = IdFilter(field_name="unit_id", label=_("Reporting unit id"))
    status = django_filters.ChoiceFilter(field_name="status", choices=ReportStatus.choices)

    class Meta:
        model = ProgressReport
        fields = ["plan", "period", "item", "unit", "status"]
