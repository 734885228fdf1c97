"""Writes of the funds app: planned investment (office), funds in place and paid (on a report), thresholds.

- `planned_funds_set(*, acting_user, item, amounts)` — the item's planned money per source (万元); an
  empty amount removes that source; audited before → after.
- `report_funds_save(*, acting_user, report, in_place, paid)` — the cumulative money a report states;
  refused when negative, below the last approved report's, or paid above in place (`funds_errors`).
- `fund_settings_update(*, acting_user, plan, lag_threshold, severe_threshold)`.
- `planned_funds_from_list(*, acting_user, plan)` — planned money from the list's 投资 column kept in
  `Item.extra` (source 其他 unless the 资金来源 column names one), for items without planned money.

Each refreshes the fund lights it moves in the same transaction (`funds.lights`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.funds import policies
from minsheng.funds.amounts import planned_from_extra
from minsheng.funds.choices import FundSource
from minsheng.funds.lights import fund_lights_refresh
from minsheng.funds.models import FundSettings, PlannedFund, ReportFunds
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item, Plan
from minsheng.plans.policies import year_open_check
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from minsheng.progress.services import EDITABLE

if TYPE_CHECKING:
    from minsheng.accounts.models import User

CENT = Decimal("0.0001")
MAX_AMOUNT = Decimal("999999999999")


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_amount_input(value: Any, label: str, field: str) -> Decimal | None:
    """An amount typed on a form or in a sheet cell (万元), or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(
            _("%(field)s: “%(value)s” is not a number.") % {"field": label, "value": value}, field=field
        ) from None
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise ValidationFailed(
            _("%(field)s: “%(value)s” is not a number.") % {"field": label, "value": value}, field=field
        )
    return number.quantize(CENT)


def _labels() -> dict[str, str]:
    return {"in_place": _("Funds in place"), "paid": _("Paid")}


def last_approved_funds(report: ProgressReport) -> ReportFunds | None:
    """The funds of the item's latest approved report of an earlier period."""
    return (
        ReportFunds.objects.filter(
            report__item_id=report.item_id,
            report__status=ReportStatus.APPROVED,
            report__period__start__lt=report.period.start,
        )
        .select_related("report__period")
        .order_by("-report__period__start")
        .first()
    )


def funds_errors(report: ProgressReport, in_place: Decimal, paid: Decimal) -> dict[str, str]:
    """What is wrong with these cumulative amounts, per field (`in_place`, `paid`): negative, below the last
    approved report's, or more paid than in place."""
    labels = _labels()
    errors: dict[str, str] = {}
    last = last_approved_funds(report)
    for name, value in (("in_place", in_place), ("paid", paid)):
        label = labels[name]
        if value < 0:
            errors[name] = _("%s cannot be negative.") % label
        elif last is not None and value < getattr(last, name):
            errors[name] = _(
                "%(field)s is cumulative and cannot go down: the last approved report (%(period)s) has "
                "%(before)s (10,000 yuan), this one %(now)s."
            ) % {
                "field": label,
                "period": last.report.period,
                "before": _plain(getattr(last, name)),
                "now": _plain(value),
            }
    if "paid" not in errors and "in_place" not in errors and paid > in_place:
        errors["paid"] = _("Paid (%(paid)s) cannot be more than the funds in place (%(in_place)s).") % {
            "paid": _plain(paid),
            "in_place": _plain(in_place),
        }
    return errors


def _item_plan(item: Item) -> Plan:
    return Item.objects.select_related("project__plan").get(pk=item.pk).project.plan


@transaction.atomic
def planned_funds_set(
    *, acting_user: User | None, item: Item, amounts: Mapping[str, Any]
) -> dict[str, Decimal]:
    """Set the item's planned investment per source (万元; empty removes the source); returns it."""
    plan = _item_plan(item)
    if acting_user is not None and not policies.can_edit_planned(acting_user, plan):
        raise NotAllowed(_("Only the supervision office sets planned investment."))
    labels = dict(FundSource.choices)
    wanted: dict[str, Decimal] = {}
    for source, raw in amounts.items():
        if source not in labels:
            raise ValidationFailed(_("Unknown source of funds “%s”.") % source, field=source)
        value = parse_amount_input(raw, str(labels[source]), source)
        if value is not None and value < 0:
            raise ValidationFailed(_("%s cannot be negative.") % labels[source], field=source)
        if value is not None and value > 0:
            wanted[source] = value
    current = {p.source: p for p in PlannedFund.objects.select_for_update().filter(item_id=item.pk)}
    before = {s: _plain(p.amount) for s, p in current.items()}
    after = {s: _plain(v) for s, v in wanted.items()}
    if before == after:
        return wanted
    year_open_check(plan, reload=False)  # a closed year's money is frozen (yearend)
    PlannedFund.objects.filter(item_id=item.pk).exclude(source__in=list(wanted)).delete()
    for source, value in wanted.items():
        PlannedFund.objects.update_or_create(item_id=item.pk, source=source, defaults={"amount": value})
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=item,
        plan=plan,
        object_type="funds.planned",
        before=before,
        after=after,
        message="planned_funds_set",
    )
    fund_lights_refresh(plan, [item.pk])
    changes_bump_on_commit()
    return wanted


@transaction.atomic
def report_funds_save(
    *, acting_user: User | None, report: ProgressReport, in_place: Any, paid: Any
) -> ReportFunds | None:
    """Store the cumulative funds in place and paid of a draft or returned report (both empty: none)."""
    report = ProgressReport.objects.select_related("item__project__plan", "period").get(pk=report.pk)
    if acting_user is not None and not policies.can_report_funds(acting_user, report.item):
        raise NotAllowed(_("Only the lead unit reports the funds of this item."))
    labels = _labels()
    in_place_value = parse_amount_input(in_place, labels["in_place"], "in_place")
    paid_value = parse_amount_input(paid, labels["paid"], "paid")
    current = ReportFunds.objects.filter(report=report).first()
    before = {"in_place": _plain(current.in_place), "paid": _plain(current.paid)} if current else {}
    if in_place_value is None and paid_value is None:
        if current is None:
            return None
        after: dict[str, str] = {}
    else:
        if in_place_value is None or paid_value is None:
            missing = "in_place" if in_place_value is None else "paid"
            raise ValidationFailed(
                _("%s: enter both amounts (0 when there is none yet).") % labels[missing], field=missing
            )
        errors = funds_errors(report, in_place_value, paid_value)
        if errors:
            name, message = next(iter(errors.items()))
            raise ValidationFailed(message, field=name)
        after = {"in_place": _plain(in_place_value), "paid": _plain(paid_value)}
    if before == after:
        return current
    year_open_check(report.item.project.plan, reload=False)
    if report.status not in EDITABLE:
        raise ValidationFailed(_("The report is %s; its funds cannot change.") % report.get_status_display())
    if not after:
        ReportFunds.objects.filter(report=report).delete()
        saved = None
    else:
        saved, _created = ReportFunds.objects.update_or_create(
            report=report, defaults={"in_place": in_place_value, "paid": paid_value}
        )
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=report,
        plan=report.item.project.plan,
        object_type="funds.report",
        object_id=str(report.pk),
        object_repr=str(report),
        before=before,
        after=after,
        message="report_funds_save",
    )
    return saved


@transaction.atomic
def fund_settings_update(
    *, acting_user: User | None, plan: Plan, lag_threshold: Decimal, severe_threshold: Decimal
) -> FundSettings:
    """The plan's fund-light thresholds (points behind the schedule for yellow and red)."""
    if acting_user is not None and not policies.can_edit_planned(acting_user, plan):
        raise NotAllowed(_("Only the supervision office changes the fund thresholds."))
    for name, value in (("lag_threshold", lag_threshold), ("severe_threshold", severe_threshold)):
        if value is None or not Decimal(0) <= Decimal(value) <= Decimal(100):
            raise ValidationFailed(_("A threshold is between 0 and 100 points."), field=name)
    if Decimal(severe_threshold) < Decimal(lag_threshold):
        raise ValidationFailed(
            _("The severe threshold cannot be below the lagging threshold."), field="severe_threshold"
        )
    year_open_check(plan)
    conf = FundSettings.objects.filter(plan=plan).first() or FundSettings(plan=plan)
    before = {
        "lag_threshold": _plain(Decimal(conf.lag_threshold)),
        "severe_threshold": _plain(Decimal(conf.severe_threshold)),
    }
    conf.lag_threshold, conf.severe_threshold = Decimal(lag_threshold), Decimal(severe_threshold)
    after = {"lag_threshold": _plain(conf.lag_threshold), "severe_threshold": _plain(conf.severe_threshold)}
    if before == after and conf.pk:
        return conf
    conf.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=plan,
        plan=plan,
        object_type="funds.settings",
        before=before,
        after=after,
        message="fund_settings_update",
    )
    fund_lights_refresh(plan)
    changes_bump_on_commit()
    return conf


@transaction.atomic
def planned_funds_from_list(*, acting_user: User | None, plan: Plan) -> int:
    """Planned money from the list's 投资 column for every item without planned money; returns how many."""
    if acting_user is not None and not policies.can_edit_planned(acting_user, plan):
        raise NotAllowed(_("Only the supervision office sets planned investment."))
    year_open_check(plan)
    have = set(PlannedFund.objects.filter(item__project__plan=plan).values_list("item_id", flat=True))
    created = []
    for item_id, extra in Item.objects.filter(project__plan=plan).values_list("pk", "extra"):
        found = planned_from_extra(extra or {}) if item_id not in have else None
        if found is not None:
            created.append(PlannedFund(item_id=item_id, source=found[0], amount=found[1]))
    if not created:
        return 0
    PlannedFund.objects.bulk_create(created)
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=plan,
        plan=plan,
        object_type="funds.planned",
        after={str(p.item_id): {p.source: _plain(p.amount)} for p in created},
        message="planned_funds_from_list",
    )
    fund_lights_refresh(plan, [p.item_id for p in created])
    changes_bump_on_commit()
    return len(created)


def planned_on_publish(sender: Any, *, plan: Plan, acting_user: User | None, **kwargs: Any) -> None:
    """Receiver of `plans.signals.plan_published`: the list's 投资 column becomes planned money, in the
    publishing transaction."""
    planned_funds_from_list(acting_user=acting_user, plan=plan)


def planned_on_import(
    sender: Any, *, plan: Plan, acting_user: User | None, created: bool = False, **kwargs: Any
) -> None:
    """Receiver of `plans.signals.plan_imported`: a re-import into a published plan gives its new items
    their planned money from the list's 投资 column, in the import's transaction (a draft gets it when
    published; items that have planned money keep it)."""
    if plan.status == PlanStatus.PUBLISHED:
        planned_funds_from_list(acting_user=acting_user, plan=plan)
