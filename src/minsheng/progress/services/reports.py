"""Reports: save (and submit in one pass), copy last period, submit, approve, return, partner contributions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import AuditEntry
from minsheng.core.exceptions import ValidationFailed
from minsheng.core.prepared import prepared_statements
from minsheng.plans.choices import TargetOp
from minsheng.plans.models import Item, Target
from minsheng.progress import addons, policies
from minsheng.progress.choices import ReportStatus, RevisionAction
from minsheng.progress.models import (
    MilestoneState,
    PartnerContribution,
    Period,
    ProgressReport,
    ReportRevision,
    TargetValue,
)
from minsheng.progress.services.common import (
    _REPORT_PARTS,
    EDITABLE,
    SUBMITTED_OR_LATER,
    AlreadySubmitted,
    ConflictError,
    NeedsConfirmation,
    TransitionError,
    _check_item_open,
    _check_period_open,
    _check_version,
    _decimal,
    _fresh,
    _item_for_write,
    _jsonable,
    _key,
    _locked_report,
    _milestone_state,
    _num,
    _record,
    _require,
    _step,
    _user_or_none,
    _write_steps,
    lead_unit,
    report_data,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


@prepared_statements()  # month end: the same statements for every report (core.prepared)
@transaction.atomic
def report_save(
    *,
    acting_user: User | None,
    item: Item,
    period: Period,
    expected_version: int | None = None,
    target_values: Mapping[Any, Any] | None = None,
    milestone_states: Mapping[Any, Any] | None = None,
    progress: str | None = None,
    problems: str | None = None,
    next_steps: str | None = None,
    action: str = RevisionAction.SAVE,
    parts: Callable[[ProgressReport], Any] | None = None,
    submit: bool = False,
    confirmed: bool = False,
) -> ProgressReport:
    """Create or update the draft report of `item` for `period`. Fields left as None stay as they are.

    `parts(report)` saves what other apps add to the report (funds, values per site: `progress.addons`)
    after the report's own values, in the same transaction. With `submit` the report is then submitted
    as `report_submit` would (the same checks, `NeedsConfirmation` unless `confirmed`), in one pass: what
    保存并提交 does at month end, the save and the submission each with its revision and audit row."""
    trusted = getattr(item, "_write_loaded", False)
    item = _item_for_write(item)
    if not trusted:  # a period read with the item in this request is current; any other is read again
        period = Period.objects.get(pk=period.pk)
    _require(
        policies.can_report(acting_user, item), _("Only a reporter of the item's lead unit may report on it.")
    )
    if period.plan_id != item.project.plan_id:
        raise ValidationFailed(_("This period belongs to another plan."), field="period")
    _check_period_open(period)
    _check_item_open(item)
    report = (
        ProgressReport.objects.select_for_update()
        .filter(item=item, period=period)
        .prefetch_related(*_REPORT_PARTS)
        .first()
    )
    texts = {
        name: str(value).strip()
        for name, value in (("progress", progress), ("problems", problems), ("next_steps", next_steps))
        if value is not None
    }
    if report is None:
        if expected_version not in (None, 0):
            raise ConflictError(_("This report was deleted or never existed; reload the page."))
        report = ProgressReport.objects.create(
            item=item, period=period, unit=lead_unit(item), created_by=_user_or_none(acting_user), **texts
        )
        before = None
        current: dict[str, Any] = {
            "target_values": {},
            "milestone_states": {},
            "contributions": {},
            "evidence": [],
        }
    else:
        if expected_version == 0:  # the caller creates (the API's POST): the report exists already
            _check_version(report, expected_version)
        if submit and report.status in SUBMITTED_OR_LATER:
            raise AlreadySubmitted(report.get_status_display())
        _check_version(report, expected_version)
        if report.status not in EDITABLE:
            raise TransitionError(
                _("This report is %(status)s and can no longer be edited.")
                % {"status": report.get_status_display()}
                + (
                    " " + _("Ask a reviewer to return it first.")
                    if report.status == ReportStatus.SUBMITTED
                    else ""
                )
            )
        before = report_data(report)
        current = dict(before)
        for name, value in texts.items():
            setattr(report, name, value)
        report.version += 1
        report.save()
    report.item, report.period = item, period  # the audit row names them
    if target_values is not None:
        current["target_values"] = _store_values(report, item, target_values, created=before is None)
    if milestone_states is not None:
        current["milestone_states"] = _store_states(report, item, milestone_states, created=before is None)
    current.update({name: getattr(report, name) for name in ("progress", "problems", "next_steps")})
    current["review_comment"] = report.review_comment
    save_step = _step(
        report,
        acting_user=acting_user,
        action=RevisionAction.CREATE if before is None and action == RevisionAction.SAVE else action,
        before=before,
        audit_action=Action.CREATE if before is None else Action.UPDATE,
        after=current,
    )
    # One pass (save, parts, checks, submission, both steps' history together) unless a part sets the
    # report's values itself (the sums of the values per site) by saving the report again: then this
    # save's history goes first, and the submission reads the report afresh.
    one_pass = submit and not (parts is not None and addons.derives_values(item))
    if not one_pass:
        _write_steps([save_step])
    if parts is not None:
        parts(report)
    if not one_pass:
        if submit:
            return report_submit(acting_user=acting_user, report=report, confirmed=confirmed)
        return _fresh(report)
    warnings = _submission_checks(report, item, current["target_values"], confirmed=confirmed)
    before_submit = {**current, "status": report.status, "version": report.version}
    _mark_submitted(report, acting_user)
    _write_steps(
        [
            save_step,
            _submit_step(report, acting_user=acting_user, before=before_submit, warnings=warnings),
        ]
    )
    return _fresh(report)


def _mark_submitted(report: ProgressReport, acting_user: User | None) -> None:
    """Draft or returned → submitted, by whom and when, a new version; saved."""
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = _user_or_none(acting_user)
    report.version += 1
    report.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])


def _submission_checks(
    report: ProgressReport, item: Item, values: Mapping[str, str], *, confirmed: bool
) -> list[str]:
    """What must hold before a report is submitted: a value for every target and the progress described
    (else `ValidationFailed`); unusual values need `confirmed` (else `NeedsConfirmation`). Returns the
    warnings the reporter confirmed. `values`: the report's values as `report_data` gives them."""
    targets = list(item.targets.all())  # read with the item, or now (ordered by position either way)
    missing = [_("a value for “%s”") % t.quote[:40] for t in targets if str(t.pk) not in values]
    if not report.progress.strip():
        missing.append(_("the progress made"))
    if missing:
        raise ValidationFailed(_("Before submitting, fill in: %s.") % "; ".join(missing))
    warnings = value_warnings(
        targets,
        {int(key): Decimal(value) for key, value in values.items()},
        _last_approved_values(report.item_id, report.period),
    )
    if warnings and not confirmed:
        raise NeedsConfirmation(
            _("Check these values, then confirm them to submit: %s") % " ".join(warnings), warnings=warnings
        )
    return warnings


def _submit_step(
    report: ProgressReport, *, acting_user: User | None, before: dict[str, Any], warnings: list[str]
) -> tuple[ReportRevision, AuditEntry]:
    """The submission's history: only the status and version change."""
    return _step(
        report,
        acting_user=acting_user,
        action=RevisionAction.SUBMIT,
        before=before,
        after=before,
        comment=(_("Confirmed by the reporter: %s") % " ".join(warnings)) if warnings else "",
    )


def _store_values(
    report: ProgressReport, item: Item, values: Mapping[Any, Any], *, created: bool
) -> dict[str, str]:
    """Store the values in one statement per kind of change (new, changed, cleared), however many
    targets; returns the report's values as `report_data` shows them. Only values of an editable
    report change here, and those move no light, so the bulk writes skip no signal that matters."""
    targets = {t.pk: t for t in item.targets.all()}  # read with the item (item_for_write)
    existing = {} if created else {v.target_id: v for v in report.target_values.all()}
    new, changed, cleared = [], [], []
    for raw_key, raw_value in values.items():
        key = _key(raw_key)
        if key not in targets:
            raise ValidationFailed(_("Target %s is not a target of this item.") % key, field="target_values")
        if raw_value is None or raw_value == "":
            if key in existing:
                cleared.append(existing.pop(key).pk)
            continue
        value = _decimal(raw_value, _("Target “%s”") % targets[key].quote[:30])
        if key in existing:
            if existing[key].value != value:
                existing[key].value = value
                changed.append(existing[key])
        else:
            existing[key] = TargetValue(report=report, target=targets[key], value=value)
            new.append(existing[key])
    if cleared:
        TargetValue.objects.filter(pk__in=cleared).delete()
    if changed:
        TargetValue.objects.bulk_update(changed, ["value"])
    if new:
        TargetValue.objects.bulk_create(new)
    return {str(key): _num(row.value) for key, row in existing.items()}


def _store_states(
    report: ProgressReport, item: Item, states: Mapping[Any, Any], *, created: bool
) -> dict[str, dict[str, Any]]:
    """Like `_store_values`, for milestone states."""
    milestones = {m.pk: m for m in item.milestones.all()}
    existing = {} if created else {s.milestone_id: s for s in report.milestone_states.all()}
    new, changed = [], []
    for raw_key, raw_value in states.items():
        key = _key(raw_key)
        if key not in milestones:
            raise ValidationFailed(
                _("Milestone %s is not a milestone of this item.") % key, field="milestone_states"
            )
        state, done_on = _milestone_state(raw_value, _("Milestone “%s”") % milestones[key].subject[:30])
        row = existing.get(key)
        if row is None:
            existing[key] = MilestoneState(
                report=report, milestone=milestones[key], state=state, done_on=done_on
            )
            new.append(existing[key])
        elif (row.state, row.done_on) != (state, done_on):
            row.state, row.done_on = state, done_on
            changed.append(row)
    if changed:
        MilestoneState.objects.bulk_update(changed, ["state", "done_on"])
    if new:
        MilestoneState.objects.bulk_create(new)
    return {
        str(key): {"state": row.state, "done_on": _jsonable(row.done_on)} for key, row in existing.items()
    }


def previous_report(item: Item, period: Period, *, approved_only: bool = False) -> ProgressReport | None:
    """The item's latest report before `period` (approved if asked)."""
    qs = ProgressReport.objects.filter(item=item, period__start__lt=period.start)
    if approved_only:
        qs = qs.filter(status=ReportStatus.APPROVED)
    return qs.order_by("-period__start").prefetch_related("target_values", "milestone_states").first()


@transaction.atomic
def report_copy_previous(
    *, acting_user: User | None, item: Item, period: Period, expected_version: int | None = None
) -> ProgressReport:
    """Start this period's report from the last one: values, milestone states and texts."""
    source = previous_report(item, period, approved_only=True) or previous_report(item, period)
    if source is None:
        raise ValidationFailed(_("There is no earlier report of this item to copy."))
    report = report_save(
        acting_user=acting_user,
        item=item,
        period=period,
        expected_version=expected_version,
        target_values={v.target_id: v.value for v in source.target_values.all()},
        milestone_states={s.milestone_id: (s.state, s.done_on) for s in source.milestone_states.all()},
        progress=source.progress,
        problems=source.problems,
        next_steps=source.next_steps,
        action=RevisionAction.COPY,
    )
    addons.copy_parts(acting_user=acting_user, source=source, report=report)  # e.g. the values per site
    report.refresh_from_db()
    return report


def value_warnings(
    targets: Iterable[Target], values: Mapping[int, Decimal], previous: Mapping[int, Decimal]
) -> list[str]:
    """Values a person should look at twice: beyond the target (over-achievement or a typo such as 45 for
    "40 所"), or below the cumulative value approved for an earlier period (cumulative values never fall)."""
    warnings = []
    for target in targets:
        value = values.get(target.pk)
        if value is None:
            continue
        ceiling = target.range_max if target.range_max is not None else target.value
        if target.op != TargetOp.LTE and value > ceiling:
            warnings.append(
                _("“%(target)s”: %(value)s is beyond the target of %(goal)s.")
                % {"target": target.quote[:40], "value": _num(value), "goal": _num(ceiling)}
            )
        last = previous.get(target.pk)
        if last is not None and value < last:
            warnings.append(
                _("“%(target)s”: %(value)s is below the %(last)s already approved for an earlier period.")
                % {"target": target.quote[:40], "value": _num(value), "last": _num(last)}
            )
    return warnings


def _last_approved_values(item_id: int, period: Period) -> dict[int, Decimal]:
    """The values of the item's last approved report before `period`, in one query."""
    last = (
        ProgressReport.objects.filter(
            item_id=item_id, period__start__lt=period.start, status=ReportStatus.APPROVED
        )
        .order_by("-period__start")
        .values("pk")[:1]
    )
    values = TargetValue.objects.filter(report_id=Subquery(last)).order_by()  # no join for the model's order
    return dict(values.values_list("target_id", "value"))


@prepared_statements()
@transaction.atomic
def report_submit(
    *,
    acting_user: User | None,
    report: ProgressReport,
    expected_version: int | None = None,
    confirmed: bool = False,
) -> ProgressReport:
    """Draft or returned → submitted, once every target has a value and the progress is described.

    Values beyond the target or below an earlier approved cumulative value raise `NeedsConfirmation`
    unless `confirmed`; the review queue shows the same warnings to the reviewer."""
    report = _locked_report(report, with_parts=True)
    item = _item_for_write(report.item)  # with its targets, which the checks read
    report.item = item
    _require(policies.can_report(acting_user, item), _("Only a reporter of the item's lead unit may submit."))
    _check_version(report, expected_version)
    _check_period_open(report.period)
    if report.status not in EDITABLE:
        raise TransitionError(
            _("Only a draft or returned report can be submitted; this one is %s.")
            % report.get_status_display()
        )
    before = report_data(report)
    warnings = _submission_checks(report, item, before["target_values"], confirmed=confirmed)
    _mark_submitted(report, acting_user)
    _write_steps([_submit_step(report, acting_user=acting_user, before=before, warnings=warnings)])
    return report


@transaction.atomic
def partner_contribution_save(
    *, acting_user: User | None, item: Item, period: Period, text: str
) -> PartnerContribution:
    """A partner unit's 配合情况 on the lead unit's report (a draft is started when none exists yet)."""
    item = _item_for_write(item)
    _require(
        policies.can_contribute(acting_user, item),
        _("Only a reporter of a partner unit may add a contribution."),
    )
    assert acting_user is not None
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Describe what your unit did."), field="text")
    period = Period.objects.get(pk=period.pk)
    _check_period_open(period)
    report, created = ProgressReport.objects.select_for_update().get_or_create(
        item=item, period=period, defaults={"unit": lead_unit(item), "created_by": _user_or_none(acting_user)}
    )
    if report.status == ReportStatus.APPROVED:
        raise TransitionError(_("The report is already approved; contributions can no longer change."))
    report.item = item
    before = None if created else report_data(report)
    contribution, _created = PartnerContribution.objects.update_or_create(
        report=report,
        unit=acting_user.unit,
        defaults={"text": text, "updated_by": _user_or_none(acting_user)},
    )
    _record(
        report,
        acting_user=acting_user,
        action=RevisionAction.CONTRIBUTION,
        before=before,
        audit_action=Action.CREATE if created else Action.UPDATE,
    )
    return contribution
