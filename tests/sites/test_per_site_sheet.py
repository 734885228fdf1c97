"""Values per site outside the form: the reporting sheet's rows per site × target (round trip, row errors,
the item's value = the sum), and "copy last period"."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from minsheng.core.exceptions import ValidationFailed
from minsheng.progress import services as progress
from minsheng.progress import sheets
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport, TargetValue
from minsheng.sites import services
from minsheng.sites.models import Site, SiteValue
from progress.factories import build_world, fill_sheet
from sites.helpers import per_site_world

pytestmark = pytest.mark.django_db


def approved_with_sites(world: Any, month: int, values: dict[Site, str]) -> ProgressReport:
    """A report approved with values per site (saved as the form saves them)."""
    target = world.item.targets.get()
    report = progress.report_save(
        acting_user=world.reporter,
        item=world.item,
        period=world.period(month),
        target_values={target.pk: "0"},
        progress="推进中",
    )
    services.site_values_save(
        acting_user=world.reporter, report=report, values={(s.pk, target.pk): v for s, v in values.items()}
    )
    report = progress.report_submit(
        acting_user=world.reporter, report=ProgressReport.objects.get(pk=report.pk)
    )
    return progress.report_approve(acting_user=world.reviewer, report=report)


def rows_of(data: bytes) -> dict[str, tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data))[sheets.SHEET]
    return {str(row[0]): row for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}


def key(world: Any, site: Site) -> str:
    return f"sv:{world.item.pk}:{site.pk}:{world.item.targets.get().pk}"


def test_sheet_round_trip_stores_values_per_site_and_the_item_gets_their_sum(district: Any) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    approved_with_sites(world, 2, {sites[0]: "2", sites[1]: "3"})
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    rows = rows_of(data)
    # A row per site under the item, pre-filled with the last approved values, as the targets are.
    assert [k for k in rows if k.startswith("sv:")] == [key(world, s) for s in sites]
    first = rows[key(world, sites[0])]
    assert "小区1" in first[sheets.QUOTE - 1] and first[sheets.MEASURE - 1] == "公里"
    assert (first[sheets.LAST - 1], first[sheets.REACHED - 1]) == (2, 2)
    assert rows[key(world, sites[2])][sheets.REACHED - 1] is None
    assert rows[f"t:{target.pk}"][sheets.REACHED - 1] == 5

    filled = fill_sheet(
        data,
        {
            (f"i:{world.item.pk}", sheets.PROGRESS): "三个小区同步施工",
            (key(world, sites[0]), sheets.REACHED): 4,
            (key(world, sites[2]), sheets.REACHED): "1.5",
        },
    )
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    assert preview.ok, preview.errors
    (change,) = preview.changed
    assert change.values[target.pk] == (Decimal(5), Decimal("8.5"))  # the preview shows the new sum
    sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=filled)

    report = ProgressReport.objects.get(item=world.item, period=period)
    assert report.status == ReportStatus.SUBMITTED
    assert TargetValue.objects.get(report=report, target=target).value == Decimal("8.5")
    stored = dict(SiteValue.objects.filter(period=period).values_list("site__name", "value"))
    # The untouched site keeps the value the sheet showed: everything shown is stored for the period.
    assert stored == {"小区1": Decimal(4), "小区2": Decimal(3), "小区3": Decimal("1.5")}
    # Downloaded again, the sheet shows what was stored.
    again = rows_of(sheets.sheet_build(user=world.reporter, plan=world.plan, period=period))
    assert [again[key(world, s)][sheets.REACHED - 1] for s in sites] == [4, 3, 1.5]
    assert again[f"t:{target.pk}"][sheets.REACHED - 1] == 8.5


def test_sheet_row_errors_name_the_row_and_change_nothing(district: Any) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    approved_with_sites(world, 2, {sites[0]: "2", sites[1]: "3"})
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    line = {k: n for n, k in enumerate(rows_of(data), start=2)}
    filled = fill_sheet(
        data,
        {
            (f"i:{world.item.pk}", sheets.PROGRESS): "推进中",
            (key(world, sites[0]), sheets.REACHED): -1,  # negative
            (key(world, sites[1]), sheets.REACHED): None,  # emptied
            (f"t:{target.pk}", sheets.REACHED): 9,  # typed over the sum
        },
    )
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    found = {(e.row, e.column): e.message for e in preview.errors}
    assert "negative" in found[(line[key(world, sites[0])], "J")]
    assert "emptied" in found[(line[key(world, sites[1])], "J")]
    assert "sum of its rows" in found[(line[f"t:{target.pk}"], "J")]
    with pytest.raises(ValidationFailed):
        sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=filled)
    assert not ProgressReport.objects.filter(period=period).exists()
    assert not SiteValue.objects.filter(period=period).exists()


def test_a_target_row_typed_alone_must_match_the_sites(district: Any) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    approved_with_sites(world, 2, {sites[0]: "2", sites[1]: "3"})
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    filled = fill_sheet(
        data, {(f"i:{world.item.pk}", sheets.PROGRESS): "推进中", (f"t:{target.pk}", sheets.REACHED): 7}
    )
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    assert [e.message for e in preview.errors if "sum of its rows" in e.message]


def test_a_site_row_of_another_item_is_refused(district: Any) -> None:
    world, sites = per_site_world(district)
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheets.SHEET]
    sheet.cell(row=sheet.max_row + 1, column=1).value = f"sv:{world.item.pk}:{sites[0].pk}:99999"
    out = io.BytesIO()
    book.save(out)
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=out.getvalue())
    assert any("Unknown row id" in e.message for e in preview.errors)


def test_items_not_measured_per_site_have_no_site_rows(district: Any) -> None:
    world = build_world(district)
    Site.objects.create(item=world.item, name="小区1")
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=world.period(3))
    assert not [k for k in rows_of(data) if k.startswith("sv:")]


def test_the_sheet_reads_site_rows_in_a_fixed_number_of_queries(district: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, _sites = per_site_world(district)
    period = world.period(3)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
        return len(queries)

    count()  # warm caches (content types, settings) once
    one = count()
    for _ in range(4):
        item = world.add_item(targets=2)
        for n in range(5):
            Site.objects.create(item=item, name=f"点{n}", position=n)
        services.site_set_update(acting_user=world.office, item=item, per_site=True)
    assert count() == one


def test_copy_last_period_copies_the_values_per_site(district: Any) -> None:
    world, sites = per_site_world(district)
    target = world.item.targets.get()
    approved_with_sites(world, 2, {sites[0]: "2", sites[1]: "3", sites[2]: "1"})
    report = progress.report_copy_previous(
        acting_user=world.reporter, item=world.item, period=world.period(3)
    )
    stored = dict(SiteValue.objects.filter(period=world.period(3)).values_list("site__name", "value"))
    assert stored == {"小区1": Decimal(2), "小区2": Decimal(3), "小区3": Decimal(1)}
    assert TargetValue.objects.get(report=report, target=target).value == Decimal(6)
    assert report.version == ProgressReport.objects.get(pk=report.pk).version  # fresh for the next save
