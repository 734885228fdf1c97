"""Sites by hand (点位): add, change, remove; the per-site flag."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.changes import changes_bump_on_commit
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.selectors import region_descendant_ids
from minsheng.plans.models import Item, Plan
from minsheng.sites.models import Site, SiteSet, SiteValue
from minsheng.sites.services.common import (
    SiteInput,
    boundary_polygons,
    check_point,
    item_plan,
    may_manage,
    require,
)


def _site_data(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "town": site.town.name if site.town_id and site.town else "",
        "address": site.address,
        "longitude": str(site.longitude) if site.longitude is not None else None,
        "latitude": str(site.latitude) if site.latitude is not None else None,
    }


def site_reports_touch(sites: QuerySet[Site]) -> int:
    """Touch the reports whose values per site name one of `sites` (their review queue cards list them):
    on a rename, and before a removal (which takes the values with it). One query."""
    from minsheng.progress.models import ProgressReport
    from minsheng.progress.services import reports_touch

    values = SiteValue.objects.filter(
        site__in=sites, site__item_id=OuterRef("item_id"), period_id=OuterRef("period_id")
    )
    reports = ProgressReport.objects.filter(item_id__in=sites.values("item_id")).filter(Exists(values))
    return reports_touch(reports.values("pk"))


def _validate(site: SiteInput, plan: Plan, polygons: list[Any] | None) -> None:
    if not site.name.strip():
        raise ValidationFailed(_("A site needs a name."), field="name")
    if len(site.name) > 200:
        raise ValidationFailed(_("A site name has at most 200 characters."), field="name")
    if site.town is not None and site.town.pk not in region_descendant_ids(plan.region):
        raise ValidationFailed(_("“%s” is not a town of the plan's region.") % site.town.name, field="town")
    check_point(site, polygons, plan.region)


@transaction.atomic
def site_save(*, acting_user: Any, item: Item, data: SiteInput, site: Site | None = None) -> Site:
    """Add a site to `item`, or change `site` (which must be one of its sites)."""
    plan = item_plan(item)
    require(may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    if site is not None and site.item_id != item.pk:
        raise ValidationFailed(_("This site belongs to another item."))
    data = SiteInput(data.name.strip(), data.town, data.address.strip(), data.longitude, data.latitude)
    _validate(data, plan, boundary_polygons(plan.region))
    clash = Site.objects.filter(item=item, name=data.name)
    if site is not None:
        clash = clash.exclude(pk=site.pk)
    if clash.exists():
        raise ValidationFailed(_("This item already has a site named “%s”.") % data.name, field="name")
    before = _site_data(site) if site is not None else None
    if site is None:
        position = Site.objects.filter(item=item).count() + 1
        site = Site(item=item, position=position)
    site.name, site.town, site.address = data.name, data.town, data.address[:255]
    site.longitude, site.latitude = data.longitude, data.latitude
    site.save()
    if before is not None and before["name"] != site.name:
        site_reports_touch(Site.objects.filter(pk=site.pk))
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=site,
        plan=plan,
        before=before,
        after=_site_data(site),
        message="site_save",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return site


@transaction.atomic
def site_delete(*, acting_user: Any, site: Site) -> None:
    """Remove a site (and the values reported for it: their reports are touched)."""
    plan = item_plan(site.item)
    require(may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    before = _site_data(site)
    site_reports_touch(Site.objects.filter(pk=site.pk))
    audit_record(
        actor=acting_user, action=Action.DELETE, obj=site, plan=plan, before=before, message="site_delete"
    )
    site.delete()
    changes_bump_on_commit()


@transaction.atomic
def site_set_update(*, acting_user: Any, item: Item, per_site: bool) -> SiteSet:
    """Say whether the item is measured per site (its target values are then the sum of the sites')."""
    plan = item_plan(item)
    require(may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    if per_site and not Site.objects.filter(item=item).exists():
        raise ValidationFailed(_("Add the item's sites first."), field="per_site")
    site_set, _created = SiteSet.objects.get_or_create(item=item)
    before = {"per_site": site_set.per_site}
    site_set.per_site = per_site
    site_set.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=site_set,
        plan=plan,
        before=before,
        after={"per_site": per_site},
        message="site_set_update",
    )
    return site_set
