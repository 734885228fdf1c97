"""The sites part of the report form (progress.addons): values per site for an item measured per site."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef

from minsheng.plans.models import Target
from minsheng.sites import services
from minsheng.sites.models import Site, SiteSet, SiteValue

PER_SITE = "_minsheng_per_site"  # the item's attribute that remembers the answer


def is_per_site(item: Any) -> bool:
    """Is the item measured per site? Remembered on the item object: the report form, its save and the
    submission ask in one request; an item read for a write has it already (`item_facts`)."""
    known = getattr(item, PER_SITE, None)
    if known is None:
        known = SiteSet.objects.filter(item_id=item.pk, per_site=True).exists()
        setattr(item, PER_SITE, known)
    return bool(known)


def item_facts() -> dict[str, Any]:
    """`progress.addons.ReportPart.item_facts`: whether the item is measured per site, read with it."""
    return {PER_SITE: Exists(SiteSet.objects.filter(item_id=OuterRef("pk"), per_site=True))}


def field_name(site_id: int, target_id: int) -> str:
    return f"site-{site_id}-{target_id}"


def form_context(user: Any, item: Any, period: Any, report: Any, posted: Any = None) -> dict[str, Any]:
    """Rows of sites × targets with this period's values (or what was just posted); empty when the item
    is not measured per site."""
    if not is_per_site(item):
        return {"enabled": False}
    sites = list(Site.objects.filter(item_id=item.pk).select_related("town"))
    targets = list(Target.objects.filter(item_id=item.pk).order_by("position"))
    stored = {
        (v.site_id, v.target_id): v.value
        for v in SiteValue.objects.filter(site__item_id=item.pk, period_id=period.pk)
    }
    rows = []
    totals = {t.pk: Decimal(0) for t in targets}
    for site in sites:
        cells = []
        for target in targets:
            name = field_name(site.pk, target.pk)
            value = posted.get(name, "") if posted is not None else stored.get((site.pk, target.pk), "")
            if (site.pk, target.pk) in stored:
                totals[target.pk] += stored[(site.pk, target.pk)]
            cells.append({"name": name, "value": value, "target": target})
        rows.append({"site": site, "cells": cells})
    return {"enabled": True, "targets": targets, "rows": rows, "totals": [totals[t.pk] for t in targets]}


def posted_values(item: Any, data: Mapping[str, Any]) -> dict[tuple[int, int], Any]:
    """{(site pk, target pk): text} from the form's `site-<site>-<target>` fields."""
    values: dict[tuple[int, int], Any] = {}
    for key, value in data.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "site" and parts[1].isdigit() and parts[2].isdigit():
            values[(int(parts[1]), int(parts[2]))] = value
    return values


def form_save(*, acting_user: Any, report: Any, data: Mapping[str, Any]) -> None:
    """Store the posted values per site and set the report's target values to their sums."""
    if not is_per_site(report.item):
        return
    values = posted_values(report.item, data)
    if values:
        services.site_values_save(acting_user=acting_user, report=report, values=values)
