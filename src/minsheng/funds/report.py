"""Funds on the progress report: two fields on the report form and two rows per item in the reporting sheet
(`progress.addons`), for items with planned money or money reported before."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed
from minsheng.funds import services
from minsheng.funds.lights import planned_totals
from minsheng.funds.models import ReportFunds
from minsheng.plans.models import Item
from minsheng.progress.addons import ReportPart, SheetRow, report_part_register
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, ProgressReport

FIELDS = {"in_place": "funds_in_place", "paid": "funds_paid"}
PREFIXES = {"fi": "in_place", "fp": "paid"}


def _last_approved(item_ids: list[int], before: Any) -> dict[int, ReportFunds]:
    """The latest approved funds per item of periods starting before `before` (a date)."""
    latest: dict[int, ReportFunds] = {}
    for row in (
        ReportFunds.objects.filter(
            report__item_id__in=item_ids,
            report__status=ReportStatus.APPROVED,
            report__period__start__lt=before,
        )
        .select_related("report__period")
        .order_by("report__item_id", "-report__period__start")
    ):
        latest.setdefault(row.report.item_id, row)
    return latest


def form_context(user: Any, item: Item, period: Period, report: ProgressReport | None, posted: Any) -> dict:
    planned = planned_totals([item.pk]).get(item.pk)
    last = _last_approved([item.pk], period.start).get(item.pk)
    current = ReportFunds.objects.filter(report=report).first() if report is not None else None
    values = {name: getattr(current, name) if current else None for name in FIELDS}
    if posted is not None:
        values = {name: posted.get(field, values[name]) for name, field in FIELDS.items()}
    return {
        "shown": planned is not None or last is not None or current is not None,
        "planned": planned,
        "last": last,
        "values": values,
        "fields": FIELDS,
        "editable": report is None or report.status in services.EDITABLE,
    }


def form_save(*, acting_user: Any, report: ProgressReport, data: Mapping[str, Any]) -> None:
    if not any(field in data for field in FIELDS.values()):
        return  # the form did not show the fields
    services.report_funds_save(
        acting_user=acting_user,
        report=report,
        in_place=data.get(FIELDS["in_place"]),
        paid=data.get(FIELDS["paid"]),
    )


def sheet_rows(
    items: list[Item], period: Period, reports: dict[int, ProgressReport]
) -> dict[int, list[SheetRow]]:
    ids = [i.pk for i in items]
    planned = planned_totals(ids)
    last = _last_approved(ids, period.start)
    # This period's approved report counts as "last approved" in the sheet, as for targets.
    current = {
        f.report.item_id: f
        for f in ReportFunds.objects.filter(report__period=period, report__item_id__in=ids).select_related(
            "report"
        )
    }
    rows: dict[int, list[SheetRow]] = {}
    labels = {"in_place": _("Funds in place (cumulative)"), "paid": _("Paid (cumulative)")}
    for item_id in ids:
        if item_id not in planned and item_id not in last and item_id not in current:
            continue
        mine = current.get(item_id)
        approved = (
            mine if mine is not None and mine.report.status == ReportStatus.APPROVED else last.get(item_id)
        )
        rows[item_id] = [
            SheetRow(
                key=f"{prefix}:{item_id}",
                label=str(labels[name]),
                kind=_("funds"),
                planned=planned.get(item_id),
                measure=_("10,000 yuan"),
                last=getattr(approved, name) if approved else None,
                current=getattr(mine or approved, name) if (mine or approved) else None,
            )
            for prefix, name in PREFIXES.items()
        ]
    return rows


def _amounts(report: ProgressReport, values: Mapping[str, Decimal | None]) -> dict[str, Any]:
    """Both amounts: those read from the sheet, the others as the report (else the last approved one) has."""
    stored = ReportFunds.objects.filter(report=report).first() if report.pk else None
    source = stored if stored is not None else services.last_approved_funds(report)
    amounts: dict[str, Any] = {name: getattr(source, name) if source else None for name in FIELDS}
    for key, value in values.items():
        amounts[PREFIXES[key.partition(":")[0]]] = value
    return amounts


def sheet_check(
    item: Item, period: Period, report: ProgressReport | None, values: Mapping[str, Decimal | None]
) -> dict[str, str]:
    """Errors per row id of the funds read from the sheet (nothing is written)."""
    probe = report or ProgressReport(item=item, period=period)  # no report yet: the same rules
    amounts = _amounts(probe, values)
    keys = {name: f"{prefix}:{item.pk}" for prefix, name in PREFIXES.items()}
    if amounts["in_place"] is None or amounts["paid"] is None:
        missing = "in_place" if amounts["in_place"] is None else "paid"
        return {keys[missing]: _("Enter both amounts (0 when there is none yet).")}
    errors = services.funds_errors(probe, Decimal(amounts["in_place"]), Decimal(amounts["paid"]))
    return {keys[name]: message for name, message in errors.items()}


def sheet_save(*, acting_user: Any, report: ProgressReport, values: Mapping[str, Decimal | None]) -> None:
    services.report_funds_save(acting_user=acting_user, report=report, **_amounts(report, values))


def api_save(*, acting_user: Any, report: ProgressReport, data: Mapping[str, Any]) -> None:
    """`progress.addons.ReportPart.api_save`: the report write's funds, through the same service as the
    form and the sheet (a refusal names the API's field and rolls the report back)."""
    if not any(name in data for name in FIELDS.values()):
        return
    try:
        services.report_funds_save(
            acting_user=acting_user,
            report=report,
            in_place=data.get(FIELDS["in_place"]),
            paid=data.get(FIELDS["paid"]),
        )
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field=FIELDS.get(exc.field or "", exc.field)) from None


def register() -> None:
    report_part_register(
        ReportPart(
            key="funds",
            prefixes=tuple(PREFIXES),
            template="funds/_report_form.html",
            context=form_context,
            save=form_save,
            sheet_rows=sheet_rows,
            sheet_check=sheet_check,
            sheet_save=sheet_save,
            api_save=api_save,
            order=50,
        )
    )
