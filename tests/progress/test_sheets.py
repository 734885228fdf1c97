"""The reporting spreadsheet: download, fill in, preview with row errors, submit all at once."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from minsheng.core.exceptions import ValidationFailed
from minsheng.progress import sheets
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from progress.factories import World, approved_report, fill_sheet

pytestmark = pytest.mark.django_db


def test_download_has_rows_locks_and_last_approved_values(world: World) -> None:
    approved_report(world, world.item, world.period(2), value="6")
    world.add_item(targets=2, milestones=1, lead=world.other)  # not ours: not in the sheet
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=world.period(3))
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheets.SHEET]
    target = world.item.targets.get()
    milestone = world.item.milestones.get()
    ids = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert ids == [f"i:{world.item.pk}", f"t:{target.pk}", f"m:{milestone.pk}"]
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert book[sheets.META].sheet_state == "hidden"
    assert sheet.cell(row=3, column=sheets.LAST).value == 6
    assert sheet.cell(row=3, column=sheets.REACHED).value == 6
    assert sheet.cell(row=4, column=sheets.REACHED).value == "推进中"
    assert sheet.cell(row=3, column=sheets.QUOTE).protection.locked
    assert not sheet.cell(row=3, column=sheets.REACHED).protection.locked
    assert not sheet.cell(row=2, column=sheets.PROGRESS).protection.locked


def test_round_trip_previews_then_submits_everything(world: World) -> None:
    second = world.add_item(targets=1)
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    t1, t2 = world.item.targets.get(), second.targets.get()
    milestone = world.item.milestones.get()
    filled = fill_sheet(
        data,
        {
            (f"i:{world.item.pk}", sheets.PROGRESS): "完成管网12公里",
            (f"t:{t1.pk}", sheets.REACHED): 12,
            (f"m:{milestone.pk}", sheets.REACHED): "已完成",
            (f"m:{milestone.pk}", sheets.DONE_ON): "2024-03-18",
            (f"i:{second.pk}", sheets.PROGRESS): "开工",
            (f"t:{t2.pk}", sheets.REACHED): "3",
        },
    )
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    assert preview.ok, preview.errors
    lines = {c.item.pk: c.lines() for c in preview.changed}
    assert (t1.quote, "", "12") in lines[world.item.pk]
    assert (milestone.quote, "", "已完成 2024-03-18") in lines[world.item.pk]
    assert not ProgressReport.objects.exists()  # a preview writes nothing
    reports = sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=filled)
    assert {r.status for r in reports} == {ReportStatus.SUBMITTED} and len(reports) == 2
    first = ProgressReport.objects.get(item=world.item, period=period)
    assert first.target_values.get().value == Decimal("12") and first.progress == "完成管网12公里"
    assert first.revisions.first().action == "upload"


def test_row_errors_say_sheet_row_column_and_what_and_change_nothing(world: World) -> None:
    second = world.add_item(targets=1)
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    t1, t2 = world.item.targets.get(), second.targets.get()
    milestone = world.item.milestones.get()
    filled = fill_sheet(
        data,
        {
            (f"i:{world.item.pk}", sheets.PROGRESS): "进展",
            (f"t:{t1.pk}", sheets.REACHED): "十二",
            (f"m:{milestone.pk}", sheets.REACHED): "快完成了",
            (f"t:{t2.pk}", sheets.REACHED): 5,  # but no progress text for the second item
        },
    )
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    messages = [str(e) for e in preview.errors]
    assert any(m.startswith(f"{sheets.SHEET}!J3:") and "not a number" in m for m in messages), messages
    assert any(m.startswith(f"{sheets.SHEET}!J4:") and "not a state" in m for m in messages), messages
    assert any(m.startswith(f"{sheets.SHEET}!L5:") and "progress" in m for m in messages), messages
    with pytest.raises(ValidationFailed):
        sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=filled)
    assert not ProgressReport.objects.exists()


def test_foreign_rows_and_wrong_files_are_refused(world: World) -> None:
    foreign = world.add_item(targets=1, lead=world.other)
    period = world.period(3)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    book = load_workbook(io.BytesIO(data))
    book[sheets.SHEET].append(
        [f"t:{foreign.targets.get().pk}", None, None, None, None, None, None, None, None, 9]
    )
    out = io.BytesIO()
    book.save(out)
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=out.getvalue())
    assert any("not one of your items" in e.message for e in preview.errors)
    other_period = sheets.sheet_preview(
        user=world.reporter, plan=world.plan, period=world.period(4), data=data
    )
    assert "another plan or period" in other_period.errors[0].message
    with pytest.raises(ValidationFailed, match="not an Excel"):
        sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=b"%PDF-1.4")


def test_an_approved_report_cannot_be_changed_by_upload(world: World) -> None:
    period = world.period(3)
    approved_report(world, world.item, period, value="8")
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    filled = fill_sheet(data, {(f"t:{world.item.targets.get().pk}", sheets.REACHED): 9})
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=filled)
    assert any("cannot change" in e.message for e in preview.errors)
