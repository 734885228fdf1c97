"""Values per site outside the report form (progress.addons): rows in the reporting sheet, "copy last period"
and the REST API's `site_values`.

A sheet row per site × target of each item measured per site, id ``sv:<item>:<site>:<target>``. The sheet
shows this period's values per site, or, when none is stored yet, the last approved ones (as it does for
the item's targets). On upload, what the sheet shows for the item's sites is stored for the period, and the
item's target values are their sums, as on the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Item, Target
from minsheng.progress.addons import SheetRow
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, ProgressReport
from minsheng.sites import services
from minsheng.sites.models import Site, SiteSet, SiteValue

PREFIX = "sv"
_PLACES = Decimal("0.0001")

Cell = tuple[int, int]  # (site pk, target pk)


def row_key(item_id: int, site_id: int, target_id: int) -> str:
    return f"{PREFIX}:{item_id}:{site_id}:{target_id}"


def parse_key(key: str) -> Cell | None:
    """(site pk, target pk) of a row id ``sv:<item>:<site>:<target>``; None when it is not one."""
    parts = key.split(":")
    if len(parts) != 4 or parts[0] != PREFIX or not all(p.isdigit() for p in parts[1:]):
        return None
    return int(parts[2]), int(parts[3])


def per_site_items(item_ids: Iterable[int]) -> set[int]:
    return set(
        SiteSet.objects.filter(item_id__in=list(item_ids), per_site=True).values_list("item_id", flat=True)
    )


def _approved(item_ids: set[int], period: Period) -> dict[Cell, Decimal]:
    """The latest values per site of approved reports of periods up to `period` (this one included)."""
    approved = ProgressReport.objects.filter(
        item_id=OuterRef("site__item_id"), period_id=OuterRef("period_id"), status=ReportStatus.APPROVED
    )
    latest: dict[Cell, Decimal] = {}
    rows = (
        SiteValue.objects.filter(site__item_id__in=item_ids, period__start__lte=period.start)
        .filter(Exists(approved))
        .order_by("-period__start")
        .values_list("site_id", "target_id", "value")
    )
    for site_id, target_id, value in rows:
        latest.setdefault((site_id, target_id), value)
    return latest


def _shown(item_ids: set[int], period: Period) -> tuple[dict[int, dict[Cell, Decimal]], dict[Cell, Decimal]]:
    """What the sheet shows per item — this period's values, else the last approved ones — and the last
    approved values (fixed number of queries)."""
    stored: dict[int, dict[Cell, Decimal]] = {}
    for item_id, site_id, target_id, value in SiteValue.objects.filter(
        site__item_id__in=item_ids, period=period
    ).values_list("site__item_id", "site_id", "target_id", "value"):
        stored.setdefault(item_id, {})[(site_id, target_id)] = value
    last = _approved(item_ids, period)
    site_items = dict(Site.objects.filter(item_id__in=item_ids).values_list("pk", "item_id"))
    shown: dict[int, dict[Cell, Decimal]] = {}
    for item_id in item_ids:
        if item_id in stored:
            shown[item_id] = stored[item_id]
        else:
            shown[item_id] = {cell: v for cell, v in last.items() if site_items.get(cell[0]) == item_id}
    return shown, last


def sheet_rows(
    items: list[Item], period: Period, reports: dict[int, ProgressReport]
) -> dict[int, list[SheetRow]]:
    """A row per site × target of each item measured per site."""
    ids = per_site_items(i.pk for i in items)
    if not ids:
        return {}
    shown, last = _shown(ids, period)
    sites: dict[int, list[Site]] = {}
    for site in Site.objects.filter(item_id__in=ids).order_by("item_id", "position", "pk"):
        sites.setdefault(site.item_id, []).append(site)
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(item_id__in=ids).order_by("item_id", "position", "pk"):
        targets.setdefault(target.item_id, []).append(target)
    rows: dict[int, list[SheetRow]] = {}
    for item in items:
        if item.pk not in ids:
            continue
        rows[item.pk] = [
            SheetRow(
                key=row_key(item.pk, site.pk, target.pk),
                label=f"{site.name}：{target.quote[:60]}",
                kind=_("site"),
                measure=target.unit,
                last=last.get((site.pk, target.pk)),
                current=shown[item.pk].get((site.pk, target.pk)),
            )
            for site in sites.get(item.pk, [])
            for target in targets.get(item.pk, [])
        ]
    return rows


def _read(values: Mapping[str, Decimal | None]) -> dict[Cell, Decimal | None]:
    read: dict[Cell, Decimal | None] = {}
    for key, value in values.items():
        cell = parse_key(key)
        if cell is not None:
            read[cell] = None if value is None else value.quantize(_PLACES)
    return read


def _full(item: Item, period: Period, values: Mapping[str, Decimal | None]) -> dict[Cell, Decimal | None]:
    """The item's values per site after the upload: what the sheet showed, with the rows changed."""
    shown, _last = _shown({item.pk}, period)
    return {**shown[item.pk], **_read(values)}


def sheet_check(
    item: Item, period: Period, report: ProgressReport | None, values: Mapping[str, Decimal | None]
) -> dict[str, str]:
    """Errors per row id of the values per site read from the sheet (nothing is written)."""
    shown, _last = _shown({item.pk}, period)
    errors: dict[str, str] = {}
    for key, value in values.items():
        cell = parse_key(key)
        if cell is None:
            continue
        if value is None and shown[item.pk].get(cell) is not None:
            errors[key] = _("The value of a site cannot be emptied; enter 0 if nothing was done there.")
        elif value is not None and value < 0:
            errors[key] = _("A value reached cannot be negative.")
    return errors


def sheet_totals(
    item: Item, period: Period, report: ProgressReport | None, values: Mapping[str, Decimal | None]
) -> dict[int, Decimal]:
    """The item's target values as the sums of its sites' (none when no site has a value)."""
    if item.pk not in per_site_items([item.pk]):
        return {}
    sums: dict[int, Decimal] = {}
    for (_site_id, target_id), value in _full(item, period, values).items():
        if value is not None:
            sums[target_id] = sums.get(target_id, Decimal(0)) + value
    return sums


def sheet_save(*, acting_user: Any, report: ProgressReport, values: Mapping[str, Decimal | None]) -> None:
    """Store what the sheet shows for the item's sites in this period (in the upload's transaction)."""
    item = report.item
    full = _full(item, report.period, values)
    services.site_values_save(acting_user=acting_user, report=report, values=full)


def copy(*, acting_user: Any, source: ProgressReport, report: ProgressReport) -> None:
    """Copy last period: the values per site of `source`'s period become this period's."""
    if report.item_id not in per_site_items([report.item_id]):
        return
    old = {
        (v.site_id, v.target_id): v.value
        for v in SiteValue.objects.filter(site__item_id=report.item_id, period_id=source.period_id)
    }
    if not old:
        return
    now = SiteValue.objects.filter(site__item_id=report.item_id, period_id=report.period_id)
    values: dict[Cell, Decimal | None] = {(v.site_id, v.target_id): None for v in now}
    values.update(old)
    services.site_values_save(acting_user=acting_user, report=report, values=values)


def api_save(*, acting_user: Any, report: ProgressReport, data: Mapping[str, Any]) -> None:
    """The REST API's `site_values` ([{site, target, value}]): stored, and the item's values their sums."""
    rows = data.get("site_values")
    if rows is None:
        return
    if report.item_id not in per_site_items([report.item_id]):
        raise ValidationFailed(
            _("This item is not measured per site: send its target_values instead of site_values."),
            field="site_values",
        )
    values: dict[Cell, Any] = {}
    for row in rows:
        values[(row["site"], row["target"])] = row["value"]
    services.site_values_save(acting_user=acting_user, report=report, values=values)
