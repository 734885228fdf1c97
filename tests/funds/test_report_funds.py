"""Funds on the report: the form, the service's rules (bad input changes nothing), the sheet round trip."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from factories import PASSWORD
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.funds.models import FundLight, ReportFunds
from minsheng.funds.services import planned_funds_set, report_funds_save
from minsheng.progress import sheets
from minsheng.progress.models import ProgressReport
from minsheng.progress.services import report_approve, report_submit
from progress.factories import World, filled_report

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def approved_with_funds(world: World, month: int, in_place: str, paid: str) -> ProgressReport:
    report = filled_report(world, world.item, world.period(month))
    report_funds_save(acting_user=world.reporter, report=report, in_place=in_place, paid=paid)
    report_submit(acting_user=world.reporter, report=report, confirmed=True)
    return report_approve(acting_user=world.reviewer, report=report)


@pytest.fixture
def english() -> Iterator[None]:
    """The messages are checked in English, whatever the default language's catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def funded(world: World) -> World:
    planned_funds_set(acting_user=world.office, item=world.item, amounts={"higher": "600", "local": "400"})
    return world


@pytest.mark.usefixtures("english")
def test_amounts_are_checked_per_field(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    report = filled_report(world, world.item, world.period(2))
    with pytest.raises(ValidationFailed) as negative:
        report_funds_save(acting_user=world.reporter, report=report, in_place="-1", paid="0")
    assert negative.value.field == "in_place" and "negative" in negative.value.message
    with pytest.raises(ValidationFailed) as down:
        report_funds_save(acting_user=world.reporter, report=report, in_place="250", paid="120")
    assert down.value.field == "in_place" and "300" in down.value.message
    with pytest.raises(ValidationFailed) as paid_down:
        report_funds_save(acting_user=world.reporter, report=report, in_place="350", paid="90")
    assert paid_down.value.field == "paid" and "100" in paid_down.value.message
    with pytest.raises(ValidationFailed) as too_much:
        report_funds_save(acting_user=world.reporter, report=report, in_place="350", paid="400")
    assert too_much.value.field == "paid" and "more than the funds in place" in too_much.value.message
    with pytest.raises(ValidationFailed) as half:
        report_funds_save(acting_user=world.reporter, report=report, in_place="350", paid="")
    assert half.value.field == "paid"
    assert not ReportFunds.objects.filter(report=report).exists()
    saved = report_funds_save(acting_user=world.reporter, report=report, in_place="350", paid="150")
    assert saved is not None and saved.paid == Decimal(150)
    event = AuditEvent.objects.filter(object_type="funds.report").latest("pk")
    assert event.after == {"in_place": "350", "paid": "150"}
    with pytest.raises(NotAllowed):
        report_funds_save(acting_user=world.other_reporter, report=report, in_place="400", paid="150")


def test_approval_moves_the_stored_fund_light(funded: World) -> None:
    world = funded
    assert FundLight.objects.get(item=world.item).paid == 0
    approved_with_funds(world, 1, "300", "120")
    light = FundLight.objects.get(item=world.item)
    assert (light.planned, light.in_place, light.paid) == (Decimal(1000), Decimal(300), Decimal(120))


def test_report_form_saves_funds_with_the_report(funded: World) -> None:
    world = funded
    client = signed_in(world.reporter)
    url = reverse("progress:report", args=[world.item.pk, world.period(1).pk])
    page = client.get(url)
    assert b'name="funds_in_place"' in page.content and b"Planned investment: 1000" in page.content
    target = world.item.targets.get()
    form = {f"t-{target.pk}": "5", "progress": "开工", "action": "save"}
    bad = client.post(url, {**form, "funds_in_place": "100", "funds_paid": "150"})
    assert bad.status_code == 400
    assert b"cannot be more than the funds in place" in bad.content
    assert b'value="150"' in bad.content  # what was typed comes back
    assert not ProgressReport.objects.filter(item=world.item).exists()  # nothing half-saved
    good = client.post(url, {**form, "funds_in_place": "100", "funds_paid": "50"})
    assert good.status_code == 302
    funds = ReportFunds.objects.get(report__item=world.item)
    assert (funds.in_place, funds.paid) == (Decimal(100), Decimal(50))


def test_item_without_money_shows_no_fund_fields(world: World) -> None:
    page = signed_in(world.reporter).get(reverse("progress:report", args=[world.item.pk, world.period(1).pk]))
    assert page.status_code == 200 and b"funds_in_place" not in page.content


def fill(data: bytes, edits: dict[str, Any], column: int = sheets.REACHED) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book[sheets.SHEET]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for key, value in edits.items():
        sheet.cell(row=rows[key], column=column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheet_round_trip(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    period = world.period(2)
    data = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    sheet = load_workbook(io.BytesIO(data))[sheets.SHEET]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    key_in, key_paid = f"fi:{world.item.pk}", f"fp:{world.item.pk}"
    assert sheet.cell(row=rows[key_in], column=sheets.TARGET).value == 1000
    assert sheet.cell(row=rows[key_in], column=sheets.LAST).value == 300
    assert sheet.cell(row=rows[key_paid], column=sheets.REACHED).value == 100
    assert sheet.cell(row=rows[key_paid], column=sheets.REACHED).protection.locked is False

    # Decreasing money and paid above in place are row errors; nothing is saved.
    bad = fill(data, {key_in: 250, key_paid: 400})
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=bad)
    messages = {(e.row, e.column): e.message for e in preview.errors}
    assert "cannot go down" in messages[(rows[key_in], "J")]
    with pytest.raises(ValidationFailed):
        sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=bad)
    assert not ReportFunds.objects.filter(report__period=period).exists()

    target = world.item.targets.get()
    good = fill(fill(data, {key_in: 500, key_paid: 260}), {f"i:{world.item.pk}": "资金到位"}, sheets.PROGRESS)
    good = fill(good, {f"t:{target.pk}": 9})
    preview = sheets.sheet_preview(user=world.reporter, plan=world.plan, period=period, data=good)
    assert preview.ok, preview.errors
    sheets.sheet_apply(acting_user=world.reporter, plan=world.plan, period=period, data=good)
    funds = ReportFunds.objects.get(report__period=period, report__item=world.item)
    assert (funds.in_place, funds.paid) == (Decimal(500), Decimal(260))
    again = sheets.sheet_build(user=world.reporter, plan=world.plan, period=period)
    sheet = load_workbook(io.BytesIO(again))[sheets.SHEET]
    assert sheet.cell(row=rows[key_in], column=sheets.REACHED).value == 500


def test_reviewer_sees_the_money_beside_the_last_approved(funded: World) -> None:
    world = funded
    approved_with_funds(world, 1, "300", "100")
    report = filled_report(world, world.item, world.period(2))
    report_funds_save(acting_user=world.reporter, report=report, in_place="450", paid="220")
    report_submit(acting_user=world.reporter, report=report, confirmed=True)
    second = world.add_item()
    planned_funds_set(acting_user=world.office, item=second, amounts={"local": "10"})
    other = filled_report(world, second, world.period(2))
    report_funds_save(acting_user=world.reporter, report=other, in_place="5", paid="1")
    report_submit(acting_user=world.reporter, report=other, confirmed=True)
    html = signed_in(world.reviewer).get(reverse("progress:queue")).content.decode()
    card = html.split(f'id="report-{report.pk}"')[1].split("</li>")[0]
    table = card.split('class="funds-review"')[1].split("</table>")[0]
    assert "300" in table and "450" in table and "100" in table and "220" in table
    assert html.count('class="funds-review"') == 2
