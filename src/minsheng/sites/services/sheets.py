"""Sites from an .xlsx: every row or none; each error with file, row and column."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.changes import changes_bump_on_commit
from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Item, Plan
from minsheng.sites.models import Site
from minsheng.sites.services.common import (
    SiteInput,
    boundary_polygons,
    check_point,
    coordinate,
    item_plan,
    may_manage,
    require,
    towns_of,
)

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


class SitesImportFailed(ValidationFailed):
    """A site sheet with errors: every error with its file, row and column; nothing was saved."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:5]) + (" …" if len(errors) > 5 else "")
        super().__init__(shown, field="file")


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
    plan = item_plan(item)
    require(may_manage(acting_user, plan), _("Only the office of the plan's region manages sites."))
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
