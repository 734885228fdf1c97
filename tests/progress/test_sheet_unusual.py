"""Uploaded sheets follow the report form's rule: values beyond the target or below an approved cumulative
value are listed for confirmation, and nothing is saved until the uploader confirms them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minsheng.progress import services, sheets
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from progress.factories import World, approved_report, fill_sheet

pytestmark = pytest.mark.django_db


def sheet_with(world: World, month: int, value: object) -> bytes:
    period = world.period(month)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    target = world.item.targets.get()
    return fill_sheet(
        data, {(f"i:{world.item.pk}", sheets.PROGRESS): "进展", (f"t:{target.pk}", sheets.REACHED): value}
    )


def test_beyond_the_target_is_listed_and_nothing_is_saved_before_confirming(world: World) -> None:
    data = sheet_with(world, 3, 45)  # the target is 20 公里
    period = world.period(3)
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=data)
    assert preview.ok
    [change] = preview.unusual
    assert change.item == world.item and "45" in change.warnings[0] and "20" in change.warnings[0]
    with pytest.raises(services.NeedsConfirmation):
        sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=data)
    assert not ProgressReport.objects.exists()
    [report] = sheets.sheet_apply(
        acting_user=world.reporter, plan=world.plan, period=period, data=data, confirmed=True
    )
    assert report.status == ReportStatus.SUBMITTED
    assert report.target_values.get().value == Decimal("45")
    assert "45" in report.revisions.order_by("-pk").first().comment  # the reviewer sees what was confirmed


def test_below_the_approved_cumulative_value_is_listed(world: World) -> None:
    approved_report(world, world.item, world.period(2), value="8")
    data = sheet_with(world, 3, 5)
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=world.period(3), data=data)
    [change] = preview.unusual
    assert "5" in change.warnings[0] and "8" in change.warnings[0]


def test_ordinary_values_need_no_confirmation(world: World) -> None:
    approved_report(world, world.item, world.period(2), value="8")
    data = sheet_with(world, 3, 12)
    period = world.period(3)
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=data)
    assert preview.ok and preview.changed and not preview.unusual
    assert sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=data)


def test_the_page_asks_then_saves_only_when_confirmed(world: World) -> None:
    client = Client()
    client.force_login(world.reporter)
    period = world.period(3)
    url = reverse("progress:sheet_upload", args=[world.plan.pk, period.pk])
    upload = SimpleUploadedFile("sheet.xlsx", sheet_with(world, 3, 45))
    page = client.post(url, {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="confirm_unusual"' in html and "45" in html
    # Submitting without ticking the box (a browser would refuse; a crafted post must too).
    again = client.post(url, {"confirm": "1"})
    assert again.status_code == 200 and 'name="confirm_unusual"' in again.content.decode()
    assert not ProgressReport.objects.exists()
    done = client.post(url, {"confirm": "1", "confirm_unusual": "1"})
    assert done.status_code == 302
    assert ProgressReport.objects.get().status == ReportStatus.SUBMITTED
