"""What the sites services share: the input of a site, permission and place checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.orgs.choices import RegionLevel
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_descendant_ids
from minsheng.plans.models import Item, Plan
from minsheng.sites import geo, policies
from minsheng.sites.models import Boundary


@dataclass(frozen=True)
class SiteInput:
    """A site as typed or read from a sheet, before it is stored."""

    name: str
    town: Region | None = None
    address: str = ""
    longitude: Decimal | None = None
    latitude: Decimal | None = None


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def may_manage(acting_user: Any, plan: Plan) -> bool:
    """The office of the plan's region; `None` is the operator at the command line."""
    return acting_user is None or policies.can_manage_sites(acting_user, plan)


def item_plan(item: Item) -> Plan:
    return Item.objects.select_related("project__plan__region").get(pk=item.pk).project.plan


def towns_of(region: Region) -> dict[str, Region]:
    """The towns and streets of a region (and under it), by name."""
    ids = region_descendant_ids(region)
    return {r.name: r for r in Region.objects.filter(pk__in=ids, level=RegionLevel.TOWN)}


def boundary_polygons(region: Region) -> list[Any] | None:
    """The region's stored outline, or None when the office has not uploaded one."""
    row = Boundary.objects.filter(region=region).only("polygons").first()
    return row.polygons if row else None


def decimal_or_none(value: Any, *, not_a_number: str) -> Decimal | None:
    """A number typed as text (or given as a number); None when empty. Refused with `not_a_number`."""
    if value is None or str(value).strip() == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(not_a_number) from None


def coordinate(value: Any, *, what: str, low: int, high: int) -> Decimal | None:
    """A longitude or latitude from text or a number; None when empty. ValidationFailed names `what`."""
    number = decimal_or_none(
        value, not_a_number=_("%(what)s “%(value)s” is not a number.") % {"what": what, "value": value}
    )
    if number is None:
        return None
    if not number.is_finite() or not (low <= number <= high):
        raise ValidationFailed(
            _("%(what)s %(value)s is outside %(low)s … %(high)s.")
            % {"what": what, "value": value, "low": low, "high": high}
        )
    return number.quantize(Decimal("0.000001"))


def check_point(site: SiteInput, polygons: list[Any] | None, region: Region) -> None:
    """Both coordinates or neither; inside the region's boundary when there is one."""
    if (site.longitude is None) != (site.latitude is None):
        raise ValidationFailed(_("Give both longitude and latitude, or neither."), field="longitude")
    if site.longitude is None or site.latitude is None or not polygons:
        return
    if not geo.point_in_polygons(float(site.longitude), float(site.latitude), polygons):
        raise ValidationFailed(
            _("The point %(lon)s, %(lat)s of “%(name)s” lies outside the boundary of %(region)s.")
            % {"lon": site.longitude, "lat": site.latitude, "name": site.name, "region": region.name},
            field="longitude",
        )
