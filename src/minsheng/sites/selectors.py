"""Reads of the sites app, each in a fixed number of queries whatever the number of items and sites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, Plan, Target
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport, TargetValue
from minsheng.sites import geo
from minsheng.sites.models import Boundary, PhotoCheck, Site, SiteSet, SiteValue


def tile_url() -> str:
    """`MINSHENG_MAP_TILE_URL` ({z}/{x}/{y} template); empty: the map draws the outline only (offline)."""
    return str(getattr(settings, "MINSHENG_MAP_TILE_URL", "") or "")


@dataclass
class ItemSites:
    """An item with its number of sites and whether it is measured per site (the office's list)."""

    item: Item
    sites: int
    per_site: bool


def plan_items(plan: Plan) -> list[ItemSites]:
    """The plan's items in order with their site counts: two queries."""
    per_site = set(
        SiteSet.objects.filter(item__project__plan=plan, per_site=True).values_list("item_id", flat=True)
    )
    items = (
        Item.objects.filter(project__plan=plan)
        .select_related("project")
        .annotate(site_count=Count("sites"))
        .order_by("project__position", "project__no", "position")
    )
    return [ItemSites(item, item.site_count, item.pk in per_site) for item in items]


def item_sites(item_id: int) -> list[Site]:
    """An item's sites with their towns: one query."""
    return list(Site.objects.filter(item_id=item_id).select_related("town"))


def map_data(plan: Plan, *, public: bool) -> dict[str, Any] | None:
    """What the map draws for a plan: its region's outline (GeoJSON, when uploaded), the sites with
    coordinates, and the tile URL when one is configured. None when there is nothing to draw. Two queries."""
    boundary = Boundary.objects.filter(region_id=plan.region_id).only("polygons").first()
    sites = (
        Site.objects.filter(item__project__plan=plan, latitude__isnull=False)
        .select_related("item__project", "town")
        .order_by("item__project__position", "item__position", "position")
    )
    points = [
        {
            "name": site.name,
            "value": [float(site.longitude or 0), float(site.latitude or 0)],
            "item": f"{site.item.project.no}. {site.item.project.name}",
            "town": site.town.name if site.town else "",
            "url": reverse("sites_public:site", args=[site.pk])
            if public
            else reverse("progress:timeline", args=[site.item_id]),
        }
        for site in sites
    ]
    if boundary is None and not points:
        return None
    return {
        "region": plan.region.name,
        "outline": geo.as_feature_collection(boundary.polygons, plan.region.name) if boundary else None,
        "points": points,
        "tiles": tile_url(),
    }


@dataclass
class SiteValueView:
    quote: str
    unit: str
    promised: Decimal | None
    reached: Decimal


@dataclass
class PublicSite:
    """A site of a published plan with the values approved for it (latest approved period)."""

    site: Site
    item: Item
    plan: Plan
    lead_units: list[str]
    others: list[Site]
    period: Any = None
    values: list[SiteValueView] = field(default_factory=list)


def public_site(site_id: int) -> PublicSite:
    """Raises Site.DoesNotExist unless the site's plan is published. Four queries."""
    site = Site.objects.select_related("item__project__plan__region", "town").get(
        pk=site_id, item__project__plan__status=PlanStatus.PUBLISHED
    )
    item = site.item
    approved = ProgressReport.objects.filter(
        item_id=item.pk, period_id=OuterRef("period_id"), status=ReportStatus.APPROVED
    )
    rows = list(
        SiteValue.objects.filter(site=site)
        .filter(Exists(approved))
        .select_related("period", "target")
        .order_by("-period__start", "target__position")
    )
    latest = rows[0].period if rows else None
    values = [
        SiteValueView(quote=v.target.quote, unit=v.target.unit, promised=None, reached=v.value)
        for v in rows
        if latest is not None and v.period_id == latest.pk
    ]
    units = list(
        item.item_units.filter(role=UnitRole.LEAD).order_by("position").values_list("written_as", flat=True)
    )
    others = list(Site.objects.filter(item_id=item.pk).exclude(pk=site.pk).only("name", "item_id"))
    return PublicSite(site, item, item.project.plan, units, others, latest, values)


@dataclass
class SignData:
    """What a 民生码 sign shows: title, lead unit, targets with what is reached, the date."""

    title: str
    subtitle: str
    lead_units: list[str]
    targets: list[tuple[str, Decimal, str, Decimal | None]]
    on: dt.date
    place: str = ""


def sign_data(item: Item, site: Site | None = None, on: dt.date | None = None) -> SignData:
    """The item's promised targets and the latest approved values up to `on` (today by default)."""
    on = on or timezone.localdate()
    item = Item.objects.select_related("project__plan").get(pk=item.pk)
    targets = list(Target.objects.filter(item=item).order_by("position"))
    report = (
        ProgressReport.objects.filter(item=item, status=ReportStatus.APPROVED, period__start__lte=on)
        .order_by("-period__start")
        .first()
    )
    reached = (
        dict(TargetValue.objects.filter(report=report).values_list("target_id", "value")) if report else {}
    )
    if site is not None and report is not None:
        reached = (
            dict(
                SiteValue.objects.filter(site=site, period_id=report.period_id).values_list(
                    "target_id", "value"
                )
            )
            or reached
        )
    units = list(
        item.item_units.filter(role=UnitRole.LEAD).order_by("position").values_list("written_as", flat=True)
    )
    place = ""
    if site is not None:
        place = "，".join(p for p in (site.name, site.town.name if site.town else "", site.address) if p)
    return SignData(
        title=item.project.plan.title,
        subtitle=f"{item.project.no}. {item.project.name}",
        lead_units=units,
        targets=[(t.quote, t.value, t.unit, reached.get(t.pk)) for t in targets],
        on=on,
        place=place,
    )


def photo_checks(report_ids: list[int]) -> dict[int, list[PhotoCheck]]:
    """Photo checks with flags of these reports, by report: one query."""
    found: dict[int, list[PhotoCheck]] = {}
    for check in (
        PhotoCheck.objects.filter(evidence__report_id__in=report_ids)
        .select_related("evidence", "duplicate_of__report__period", "duplicate_of__report__item__project")
        .order_by("evidence_id")
    ):
        found.setdefault(check.evidence.report_id, []).append(check)
    return found
