"""Writes of the sites app: sites by hand, from .xlsx, from the list's 建设地点 column; the per-site flag;
values per site; the region's boundary. Each is one transaction with one audit row."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.changes import changes_bump_on_commit
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.orgs.choices import RegionLevel
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import region_descendant_ids
from minsheng.plans.models import Item, Plan, Target
from minsheng.sites import geo, policies
from minsheng.sites.models import Boundary, Site, SiteSet, SiteValue

MAX_XLSX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
# Headers of a site sheet, in Chinese as offices write them and in English.
COLUMNS = {
    "name": ("名称", "点位", "点位名称", "name"),
    "town": ("镇（街道）", "镇(街道)", "镇街", "镇", "街道", "town"),
    "address": ("地址", "详细地址", "address"),
    "longitude": ("经度", "longitude", "lon"),
    "latitude": ("纬度", "latitude", "lat"),
}
# Item `extra` keys (list columns the parser keeps) that hold the places of an item.
LIST_COLUMNS = ("建设地点", "实施地点", "项目地点", "点位", "地点")
_SPLIT = re.compile(r"[、，,；;\n]+")


class SitesImportFailed(ValidationFailed):
    """A site sheet with errors: every error with its file, row and column; nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:5]) + (" …" if len(errors) > 5 else "")
        super().__init__(shown, field="file")


@dataclass(frozen=True)
class SiteInput:
    """A site as typed or read from a sheet, before it is stored."""

    name: str
    town: Region | None = None
    address: str = ""
    longitude: Decimal | None = None
    latitude: Decimal | None = None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _may_manage(acting_user: Any, plan: Plan) -> bool:
    """The office of the plan's region; `None` is the operator at the command line."""
    return acting_user is None or policies.can_manage_sites(acting_user, plan)


def _plan(item: Item) -> Plan:
    return Item.objects.select_related("project__plan__region").get(pk=item.pk).project.plan


def towns_of(region: Region) -> dict[str, Region]:
    """The towns and streets of a region (and under it), by name."""
    ids = region_descendant_ids(region)
    return {r.name: r for r in Region.objects.filter(pk__in=ids, level=RegionLevel.TOWN)}


def boundary_polygons(region: Region) -> list[Any] | None:
    """The region's stored outline, or None when the office has not uploaded one."""
    row = Boundary.objects.filter(region=region).only("polygons").first()
    return row.polygons if row else None


def coordinate(value: Any, *, what: str, low: int, high: int) -> Decimal | None:
    """A longitude or latitude from text or a number; None when empty. ValidationFailed names `what`."""
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(
            _("%(what)s “%(value)s” is not a number.") % {"what": what, "value": value}
        ) from None
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


def _site_data(site: Site) -> dict[str, Any]:
    return {
        "name": site.name,
        "town": site.town.name if site.town_id and site.town else "",
        "address": site.address,
        "longitude": str(site.longitude) if site.longitude is not None else None,
        "latitude": str(site.latitude) if site.latitude is not None else None,
    }


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
    plan = _plan(item)
    _require(_may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
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
    """Remove a site (and the values reported for it)."""
    plan = _plan(site.item)
    _require(_may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    before = _site_data(site)
    audit_record(
        actor=acting_user, action=Action.DELETE, obj=site, plan=plan, before=before, message="site_delete"
    )
    site.delete()
    changes_bump_on_commit()


@transaction.atomic
def site_set_update(*, acting_user: Any, item: Item, per_site: bool) -> SiteSet:
    """Say whether the item is measured per site (its target values are then the sum of the sites')."""
    plan = _plan(item)
    _require(_may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
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


def _header_key(text: Any) -> str | None:
    value = str(text or "").strip().lower()
    for key, names in COLUMNS.items():
        if value in {n.lower() for n in names}:
            return key
    return None


def read_site_sheet(data: bytes, name: str, plan: Plan) -> list[SiteInput]:
    """Sites from the first sheet of an .xlsx (columns 名称, 镇（街道）, 地址, 经度, 纬度; a header row first).

    Every error carries the file, row and column; SitesImportFailed lists them all.
    """
    from openpyxl import load_workbook

    if len(data) > MAX_XLSX_BYTES:
        raise SitesImportFailed(
            [_("%(file)s: larger than %(mb)d MB.") % {"file": name, "mb": MAX_XLSX_BYTES // 2**20}]
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SitesImportFailed([_("%s: not an Excel workbook (.xlsx).") % name]) from None
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    finally:
        book.close()
    if not rows:
        raise SitesImportFailed([_("%s: the sheet is empty.") % name])
    header = {}
    for col, text in enumerate(rows[0]):
        key = _header_key(text)
        if key and key not in header:
            header[key] = col
    if "name" not in header:
        raise SitesImportFailed(
            [
                _("%(file)s, row 1: no column 名称 (name); the columns are %(cols)s.")
                % {"file": name, "cols": ", ".join(str(c) for c in rows[0] if c)}
            ]
        )
    if len(rows) > MAX_ROWS + 1:
        raise SitesImportFailed([_("%(file)s: more than %(n)d rows.") % {"file": name, "n": MAX_ROWS}])
    towns = towns_of(plan.region)
    polygons = boundary_polygons(plan.region)
    titles = {key: str(rows[0][col]) for key, col in header.items()}
    errors: list[str] = []
    sites: list[SiteInput] = []
    seen: dict[str, int] = {}

    def cell(row: tuple[Any, ...], key: str) -> Any:
        col = header.get(key)
        return row[col] if col is not None and col < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        if not any(v is not None and str(v).strip() for v in row):
            continue

        def where(key: str, n: int = number) -> str:
            return _("%(file)s, row %(row)d, column %(col)s") % {
                "file": name,
                "row": n,
                "col": titles.get(key, key),
            }

        site_name = str(cell(row, "name") or "").strip()
        if not site_name:
            errors.append(_("%s: the name is empty.") % where("name"))
            continue
        if site_name in seen:
            errors.append(
                _("%(where)s: “%(name)s” is already on row %(row)d.")
                % {"where": where("name"), "name": site_name, "row": seen[site_name]}
            )
            continue
        seen[site_name] = number
        town = None
        town_name = str(cell(row, "town") or "").strip()
        if town_name:
            town = towns.get(town_name)
            if town is None:
                errors.append(
                    _("%(where)s: unknown town “%(town)s” (the towns of %(region)s are %(known)s).")
                    % {
                        "where": where("town"),
                        "town": town_name,
                        "region": plan.region.name,
                        "known": "、".join(sorted(towns)) or "—",
                    }
                )
                continue
        try:
            lon = coordinate(cell(row, "longitude"), what=_("longitude"), low=-180, high=180)
            lat = coordinate(cell(row, "latitude"), what=_("latitude"), low=-90, high=90)
            site = SiteInput(site_name, town, str(cell(row, "address") or "").strip(), lon, lat)
            check_point(site, polygons, plan.region)
        except ValidationFailed as exc:
            errors.append(f"{where('longitude')}: {exc.message}")
            continue
        sites.append(site)
    if errors:
        raise SitesImportFailed(errors)
    if not sites:
        raise SitesImportFailed([_("%s: no site in the sheet.") % name])
    return sites


@transaction.atomic
def sites_import(*, acting_user: Any, item: Item, data: bytes, name: str) -> list[Site]:
    """Add or update (by name) the item's sites from a sheet: all rows or, on any error, none."""
    plan = _plan(item)
    _require(_may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    inputs = read_site_sheet(data, name, plan)
    existing = {s.name: s for s in Site.objects.filter(item=item)}
    position = len(existing)
    stored = []
    for data_row in inputs:
        site = existing.get(data_row.name)
        if site is None:
            position += 1
            site = Site(item=item, position=position)
        site.name, site.town, site.address = data_row.name, data_row.town, data_row.address[:255]
        site.longitude, site.latitude = data_row.longitude, data_row.latitude
        site.save()
        stored.append(site)
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        obj=item,
        plan=plan,
        after={"sites": [s.name for s in stored]},
        message=f"sites_import {name}: {len(stored)} sites",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return stored


def list_places(item: Item) -> list[str]:
    """The places written in the list's 建设地点 (or similar) column of the item, split at 、，；."""
    extra = item.extra or {}
    for key in LIST_COLUMNS:
        for written, value in extra.items():
            if key in str(written) and value:
                return [p.strip() for p in _SPLIT.split(str(value)) if p.strip()]
    return []


def _sites_of_places(item: Item, places: list[str], towns: dict[str, Region]) -> list[Site]:
    """Create the places not yet sites of `item`; the town is the one the place is, or whose name it
    starts with or contains."""
    existing = set(Site.objects.filter(item=item).values_list("name", flat=True))
    position = len(existing)
    created = []
    for place in places:
        if place in existing or len(place) > 200:
            continue
        town = towns.get(place) or next((t for n, t in sorted(towns.items()) if n in place), None)
        position += 1
        created.append(Site.objects.create(item=item, name=place, town=town, position=position))
        existing.add(place)
    return created


@transaction.atomic
def sites_from_list(*, acting_user: Any, item: Item) -> list[Site]:
    """Create the sites named in the item's 建设地点 column (those not there yet)."""
    plan = _plan(item)
    _require(_may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
    places = list_places(item)
    if not places:
        raise ValidationFailed(_("The list gives no 建设地点 (place) for this item."))
    created = _sites_of_places(item, places, towns_of(plan.region))
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=item,
        plan=plan,
        after={"sites": [s.name for s in created]},
        message="sites_from_list",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return created


def sites_on_publish(sender: Any, *, plan: Plan, acting_user: Any, **kwargs: Any) -> None:
    """`plan_published`: items whose list gave a 建设地点 and that have no site yet get their sites, in the
    publishing transaction (the publication is the office's decision; one audit row for the plan)."""
    towns: dict[str, Region] | None = None
    created: list[Site] = []
    for item in Item.objects.filter(project__plan=plan).exclude(extra={}).order_by("pk"):
        places = list_places(item)
        if not places or Site.objects.filter(item=item).exists():
            continue
        towns = towns if towns is not None else towns_of(plan.region)
        created += _sites_of_places(item, places, towns)
    if created:
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            obj=plan,
            plan=plan,
            after={"sites": [s.name for s in created]},
            message="sites_from_list on publish",
        )


@transaction.atomic
def boundary_upload(*, acting_user: Any, region: Region, data: bytes, name: str) -> Boundary:
    """Store the region's outline from a GeoJSON file (Polygon/MultiPolygon). Refused when it is not an
    area, too large, or when sites already placed in the region would fall outside it."""
    _require(
        acting_user is None or policies.can_manage_boundary(acting_user, region),
        _("Only the office of the region uploads its boundary."),
    )
    polygons = geo.parse_boundary(data, name)
    outside = [
        s.name
        for s in Site.objects.filter(item__project__plan__region=region, latitude__isnull=False).only(
            "name", "latitude", "longitude"
        )
        if not geo.point_in_polygons(float(s.longitude or 0), float(s.latitude or 0), polygons)
    ]
    if outside:
        raise ValidationFailed(
            _(
                "“%(file)s”: %(n)d sites would lie outside this boundary (%(names)s); correct them or the file."
            )
            % {"file": name, "n": len(outside), "names": "、".join(outside[:5])},
            field="file",
        )
    boundary = Boundary.objects.filter(region=region).first()
    before = {"source_name": boundary.source_name} if boundary else None
    if boundary is None:
        boundary = Boundary(region=region)
    boundary.polygons = polygons
    boundary.source_name = name[:255]
    boundary.uploaded_by = acting_user if getattr(acting_user, "pk", None) else None
    boundary.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=boundary,
        before=before,
        after={"source_name": boundary.source_name, "polygons": len(polygons)},
        message="boundary_upload",
    )
    changes_bump_on_commit()  # public pages (item, map) show sites
    return boundary


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationFailed(_("%(where)s: the value cannot be negative.") % {"where": where})
    return number


@transaction.atomic
def site_values_save(
    *, acting_user: Any, report: Any, values: Mapping[tuple[int, int], Any]
) -> dict[int, Decimal]:
    """Store the values per site ({(site pk, target pk): value}) of `report`'s period and set the report's
    target values to their sums, in one transaction. Returns the sums by target."""
    from minsheng.progress import services as progress_services
    from minsheng.progress.models import Period, ProgressReport, TargetValue
    from minsheng.progress.policies import can_report

    item = (
        Item.objects.select_related("project__plan")
        .prefetch_related("item_units__unit")
        .get(pk=report.item_id)
    )
    _require(can_report(acting_user, item), _("Only a reporter of the item's lead unit may report on it."))
    sites = {s.pk: s for s in Site.objects.filter(item=item)}
    targets = {t.pk: t for t in Target.objects.filter(item=item)}
    existing = {
        (v.site_id, v.target_id): v
        for v in SiteValue.objects.filter(site__item=item, period_id=report.period_id)
    }
    before = {f"{s}/{t}": str(v.value) for (s, t), v in existing.items()}
    for (site_id, target_id), raw in values.items():
        if site_id not in sites or target_id not in targets:
            raise ValidationFailed(
                _("Site %(s)s or target %(t)s is not part of this item.") % {"s": site_id, "t": target_id}
            )
        where = _("Site “%(site)s”, target “%(target)s”") % {
            "site": sites[site_id].name,
            "target": targets[target_id].quote[:30],
        }
        value = _decimal(raw, where)
        row = existing.get((site_id, target_id))
        if value is None:
            if row is not None:
                row.delete()
                del existing[(site_id, target_id)]
        elif row is None:
            existing[(site_id, target_id)] = SiteValue.objects.create(
                site=sites[site_id], period_id=report.period_id, target=targets[target_id], value=value
            )
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
    sums: dict[int, Decimal] = {}
    for (_site_id, target_id), row in existing.items():
        sums[target_id] = sums.get(target_id, Decimal(0)) + row.value
    after = {f"{s}/{t}": str(v.value) for (s, t), v in existing.items()}
    if after != before:
        audit_record(
            actor=acting_user,
            action=Action.UPDATE,
            obj=report,
            plan=item.project.plan,
            before=before or None,
            after=after,
            message="site_values_save",
        )
    stored = dict(TargetValue.objects.filter(report_id=report.pk).values_list("target_id", "value"))
    wanted = {t: str(total) for t, total in sums.items() if stored.get(t) != total}
    if wanted:
        # The item's values are the sum of its sites': the report takes them in the same transaction (its
        # row is locked by the save that came just before, so the stored version is the one to match).
        version = ProgressReport.objects.filter(pk=report.pk).values_list("version", flat=True).get()
        progress_services.report_save(
            acting_user=acting_user,
            item=item,
            period=Period.objects.get(pk=report.period_id),
            expected_version=version,
            target_values=wanted,
        )
    return sums
