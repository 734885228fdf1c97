"""Write progress data. Every function is keyword-only, takes `acting_user`, runs in one transaction,
checks `progress.policies`, writes an audit row and — for reports — a `ReportRevision` (before → after).

Interface for the API, demo and dashboard (names are stable):

- `reporting_settings(plan) -> ReportingSettings` (unsaved defaults when none) ·
  `reporting_settings_update(*, acting_user, plan, **fields)`
- `periods_generate(*, acting_user, plan) -> list[Period]` — idempotent; monthly or quarterly periods of
  the plan year, deadline = settings.deadline_day of the period's last month.
- `report_save(*, acting_user, item, period, expected_version=None, target_values=None,
  milestone_states=None, progress=None, problems=None, next_steps=None) -> ProgressReport` — creates or
  updates the draft (or returned) report; `target_values` maps target (or id) → cumulative value,
  `milestone_states` maps milestone (or id) → state or (state, done_on). A stale `expected_version` raises
  `ConflictError`.
- `report_copy_previous(*, acting_user, item, period, expected_version=None)`
- `report_submit(*, acting_user, report, expected_version=None)` · `report_approve(*, acting_user, report,
  comment="")` · `report_return(*, acting_user, report, comment)` — illegal transitions raise
  `TransitionError`; missing rights raise `core.exceptions.NotAllowed`.
- `partner_contribution_save(*, acting_user, item, period, text)`
- `evidence_add(*, acting_user, report, upload, caption="") -> Evidence` (see `progress.evidence`)
- `extension_request(*, acting_user, target, requested_due_date, reason)` ·
  `extension_decide(*, acting_user, request, approve, comment="")`
- `item_end(*, acting_user, item, kind, reason="", ended_on=None)`
- Closing a period and freezing snapshots is `alerts.services.period_close` (it needs the lights).
- `sheet_*`: see `progress.sheets` (xlsx download/upload).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Prefetch, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import AuditEntry, audit_record, audit_record_many
from minsheng.core.exceptions import Conflict, NotAllowed, ServiceError, ValidationFailed
from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Target
from minsheng.plans.policies import year_open_check
from minsheng.progress import addons, policies
from minsheng.progress.choices import (
    Cycle,
    EvidenceState,
    ExtensionStatus,
    MilestoneProgress,
    OutcomeKind,
    ReportStatus,
    RevisionAction,
)
from minsheng.progress.models import (
    REPORT_CONTENT_FIELDS,
    Evidence,
    ExtensionRequest,
    ItemOutcome,
    MilestoneState,
    PartnerContribution,
    Period,
    ProgressReport,
    ReportingSettings,
    ReportRevision,
    TargetSchedule,
    TargetValue,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


class ConflictError(Conflict):
    """Someone else changed the report since it was read."""


class NeedsConfirmation(ValidationFailed):
    """Values look wrong (beyond the target, below last month's cumulative); the reporter must confirm."""

    def __init__(self, message: str, *, warnings: list[str]) -> None:
        super().__init__(message, field="confirm")
        self.warnings = warnings


class TransitionError(ServiceError):
    """The report's state does not allow this (approving a draft, editing an approved report…)."""


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# ---------------------------------------------------------------- settings and periods


def reporting_settings(plan: Plan) -> ReportingSettings:
    """The plan's settings, or unsaved defaults."""
    try:
        return plan.reporting_settings
    except ReportingSettings.DoesNotExist:
        return ReportingSettings(plan=plan)


_SETTING_FIELDS = ("cycle", "deadline_day", "lag_threshold", "severe_threshold", "approx_tolerance")


@transaction.atomic
def reporting_settings_update(*, acting_user: User | None, plan: Plan, **fields: Any) -> ReportingSettings:
    """Change the plan's cycle, deadline day or thresholds (office only)."""
    _require(policies.can_manage(acting_user, plan))
    year_open_check(plan)  # the thresholds judge the year's lights
    unknown = set(fields) - set(_SETTING_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown setting: %s.") % ", ".join(sorted(unknown)))
    current = reporting_settings(plan)
    before = {name: _jsonable(getattr(current, name)) for name in _SETTING_FIELDS} if current.pk else None
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["plan"])
    current.save()
    after = {name: _jsonable(getattr(current, name)) for name in _SETTING_FIELDS}
    audit_record(
        actor=acting_user,
        action=Action.UPDATE if before else Action.CREATE,
        obj=current,
        plan=plan,
        before=before,
        after=after,
    )
    return current


def period_bounds(year: int, cycle: str, deadline_day: int) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(start, end, deadline) of each period of `year`."""
    months = 1 if cycle == Cycle.MONTHLY else 3
    bounds = []
    for first in range(1, 13, months):
        last = first + months - 1
        last_day = calendar.monthrange(year, last)[1]
        end = dt.date(year, last, last_day)
        deadline = dt.date(year, last, min(deadline_day, last_day))
        bounds.append((dt.date(year, first, 1), end, deadline))
    return bounds


@transaction.atomic
def periods_generate(*, acting_user: User | None, plan: Plan) -> list[Period]:
    """Create the plan year's periods that do not exist yet; returns all periods of the plan.

    `acting_user=None` is the operator at the command line (`minsheng periods PLAN_ID`)."""
    _require(acting_user is None or policies.can_manage(acting_user, plan))
    conf = reporting_settings(plan)
    existing = {p.start: p for p in Period.objects.filter(plan=plan)}
    created = []
    for number, (start, end, deadline) in enumerate(
        period_bounds(plan.year, conf.cycle, conf.deadline_day), start=1
    ):
        if start in existing:
            continue
        if any(p.start <= start <= p.end for p in existing.values()):
            continue  # an earlier cycle's period already covers it
        period = Period.objects.create(plan=plan, number=number, start=start, end=end, deadline=deadline)
        existing[start] = period
        created.append(period)
    if created:
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            obj=plan,
            plan=plan,
            object_type="progress.period",
            object_id=",".join(str(p.pk) for p in created),
            after={"periods": [str(p.start) for p in created], "cycle": conf.cycle},
            message="periods_generate",
        )
    return sorted(existing.values(), key=lambda p: p.start)


def periods_on_publish(sender: Any, *, plan: Plan, acting_user: User | None, **kwargs: Any) -> None:
    """Receiver of `plans.signals.plan_published`: the plan's periods, in the publishing transaction."""
    periods_generate(acting_user=acting_user, plan=plan)


def current_period(plan: Plan, on: dt.date | None = None) -> Period | None:
    """The period containing `on` (today), else the last one before it, else the first."""
    on = on or timezone.localdate()
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    for period in periods:
        if period.start <= on <= period.end:
            return period
    before = [p for p in periods if p.end < on]
    if before:
        return before[-1]
    return periods[0] if periods else None


# ---------------------------------------------------------------- helpers


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotAllowed(message or _("You may not do this."))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _num(value: Decimal) -> str:
    """A decimal as people write it: 12, 12.5."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def lead_unit(item: Item) -> Any:
    """The first lead unit of the item (责任单位)."""
    leads = [iu for iu in item.item_units.all() if iu.role == UnitRole.LEAD]
    if not leads:
        raise ValidationFailed(_("This item has no lead unit, so nobody can report on it."))
    return min(leads, key=lambda iu: iu.position).unit


_DATA_KEYS = ("status", "version", *REPORT_CONTENT_FIELDS, "evidence")


def report_data(report: ProgressReport) -> dict[str, Any]:
    """Everything a revision compares: status, texts, values, states, contributions, evidence."""
    return {
        "status": report.status,
        "version": report.version,
        "progress": report.progress,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "review_comment": report.review_comment,
        "target_values": {str(v.target_id): _num(v.value) for v in report.target_values.all()},
        "milestone_states": {
            str(m.milestone_id): {"state": m.state, "done_on": _jsonable(m.done_on)}
            for m in report.milestone_states.all()
        },
        "contributions": {str(c.unit_id): c.text for c in report.contributions.all()},
        "evidence": [e.original_name for e in report.evidence.all()],
    }


def _changed(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that differ (the whole of `after` for a new report)."""
    if before is None:
        return {}, after
    keys = [k for k in after if before.get(k) != after.get(k) and k != "version"]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _record(
    report: ProgressReport,
    *,
    acting_user: User | None,
    action: str,
    before: dict[str, Any] | None,
    comment: str = "",
    audit_action: str = Action.UPDATE,
    after: dict[str, Any] | None = None,
    bumped: bool = False,
) -> ReportRevision:
    """Bump the version (unless the caller saved it already: `bumped`), keep the revision, write the
    audit row. `after` is the report's data when the caller knows it (saves re-reading four tables)."""
    if before is not None and not bumped:
        report.version += 1
        report.save(update_fields=["version", "updated_at"])
    if after is None:
        after = report_data(_fresh(report))
    step = _step(
        report,
        acting_user=acting_user,
        action=action,
        before=before,
        after=after,
        comment=comment,
        audit_action=audit_action,
    )
    return _write_steps([step])[0]


def _step(
    report: ProgressReport,
    *,
    acting_user: User | None,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    comment: str = "",
    audit_action: str = Action.UPDATE,
    version: int | None = None,
    status: str | None = None,
) -> tuple[ReportRevision, AuditEntry]:
    """One step of a report's history, not yet written: its revision (only the keys that changed) and
    its audit row. `version`, `status`: what this step left (default: the report's now)."""
    version = report.version if version is None else version
    known = {**after, "status": report.status if status is None else status, "version": version}
    after = {key: known[key] for key in _DATA_KEYS}
    old, new = _changed(before, after)
    revision = ReportRevision(
        report=report,
        version=version,
        action=action,
        actor=acting_user if acting_user is not None and acting_user.pk else None,
        actor_name=acting_user.get_username() if acting_user is not None else "system",
        before=old or None,
        after=new,
        comment=comment,
    )
    entry = AuditEntry(
        actor=acting_user,
        action=audit_action,
        obj=report,
        plan=report.item.project.plan,  # callers load the item with its plan (the period's is not joined)
        before=old or None,
        after=new,
        message=f"report_{action}",
    )
    return revision, entry


def _write_steps(steps: list[tuple[ReportRevision, AuditEntry]]) -> list[ReportRevision]:
    """Write the steps' revisions and audit rows: four queries however many steps."""
    revisions = [revision for revision, _entry in steps]
    if len(revisions) == 1:
        revisions[0].save(force_insert=True)
    else:
        ReportRevision.objects.bulk_create(revisions)
    audit_record_many([entry for _revision, entry in steps])
    return revisions


def _fresh(report: ProgressReport) -> ProgressReport:
    """Drop prefetch caches so report_data reads what is stored now."""
    cache = getattr(report, "_prefetched_objects_cache", None)
    if cache:
        cache.clear()
    return report


def _locked_report(report: ProgressReport, *, with_parts: bool = False) -> ProgressReport:
    """Re-read the report with a row lock so two decisions cannot interleave (`with_parts`: with what
    `report_data` reads, one query per part)."""
    # of=self: PostgreSQL would otherwise lock the joined item, plan and period rows too, and every other
    # report of the period (its foreign key check) would queue behind them — or deadlock.
    query = ProgressReport.objects.select_for_update(of=("self",)).select_related(
        "item__project__plan", "period"
    )
    if with_parts:
        query = query.prefetch_related(*_REPORT_PARTS)
    return query.get(pk=report.pk)


def _check_version(report: ProgressReport, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != report.version:
        raise ConflictError(
            _(
                "Someone else changed this report after you opened it (your version %(mine)s, now "
                "%(now)s). Your changes were not saved: reload the report, then apply them again."
            )
            % {"mine": expected_version, "now": report.version}
        )


def _check_period_open(period: Period) -> None:
    if period.closed_at is not None:
        raise TransitionError(_("The period %s is closed; its reports can no longer change.") % period)


def _check_item_open(item: Item) -> None:
    # `_item_for_write` joins the outcome, so this costs no query there.
    try:
        outcome: ItemOutcome | None = item.outcome
    except ItemOutcome.DoesNotExist:
        outcome = None
    if outcome is not None:
        raise TransitionError(
            _("This item has ended (%s); it takes no more reports.") % outcome.get_kind_display()
        )


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from None
    if not number.is_finite():
        raise ValidationFailed(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        )
    if number < 0:
        raise ValidationFailed(_("%(where)s: a value reached cannot be negative.") % {"where": where})
    if abs(number) >= Decimal(10) ** 16:
        raise ValidationFailed(_("%(where)s: the number is too large.") % {"where": where})
    return number.quantize(Decimal("0.0001"))


def _key(obj: Any) -> int:
    return int(obj.pk if hasattr(obj, "pk") else obj)


def _milestone_state(value: Any, where: str) -> tuple[str, dt.date | None]:
    done_on = None
    if isinstance(value, tuple | list):
        value, done_on = value[0], value[1] if len(value) > 1 else None
    elif isinstance(value, Mapping):
        value, done_on = value.get("state"), value.get("done_on")
    if value not in MilestoneProgress.values:
        raise ValidationFailed(
            _("%(where)s: “%(value)s” is not a milestone state (%(choices)s).")
            % {
                "where": where,
                "value": value,
                "choices": ", ".join(str(label) for label in MilestoneProgress.labels),
            }
        )
    if isinstance(done_on, str) and done_on:
        try:
            done_on = dt.date.fromisoformat(done_on)
        except ValueError:
            raise ValidationFailed(
                _("%(where)s: “%(value)s” is not a date.") % {"where": where, "value": done_on}
            ) from None
    if value != MilestoneProgress.DONE:
        done_on = None
    elif not done_on:
        done_on = timezone.localdate()
    return value, done_on


# ---------------------------------------------------------------- reports


def item_for_write(item_id: int, *, parts: bool = True) -> Item:
    """The item as a write needs it: its plan (with region) and ending, its units, and (`parts`) its
    targets and milestones, in four queries. A view that reads the item with this passes it, and the
    period it read in the same request, to `report_save`, which then reads neither again."""
    lookups: list[Any] = [Prefetch("item_units", queryset=ItemUnit.objects.select_related("unit"))]
    if parts:
        lookups += [
            Prefetch("targets", queryset=Target.objects.order_by("position")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
        ]
    item = (
        Item.objects.select_related("project__plan__region", "outcome")
        .prefetch_related(*lookups)
        .get(pk=item_id)
    )
    item._write_loaded = "parts" if parts else "units"  # type: ignore[attr-defined]
    return item


def _item_for_write(item: Item, *, parts: bool = False) -> Item:
    """`item` as `item_for_write` reads it (read again unless it was). Every write on an item passes
    here, so a closed year (年度关账) is refused here, at no query."""
    loaded = getattr(item, "_write_loaded", None)
    if loaded is None or (parts and loaded != "parts"):
        item = item_for_write(item.pk, parts=parts)
    year_open_check(item.project.plan, reload=False)
    return item


class AlreadySubmitted(TransitionError):
    """A second "submit" of a report that is submitted or approved already (a double click, a resent
    form): nothing changed."""


SUBMITTED_OR_LATER = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


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
    trusted = getattr(item, "_write_loaded", None) == "parts"
    item = _item_for_write(item, parts=True)
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
            raise AlreadySubmitted(
                _("Already submitted (%(status)s); nothing was changed.")
                % {"status": report.get_status_display()}
            )
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
    if parts is not None and addons.derives_values(item):
        # A part that sets the report's values itself (the sums of the values per site) saves the report
        # again: this save's history goes first, and the submission reads the report afresh.
        _write_steps([save_step])
        parts(report)
        if submit:
            return report_submit(acting_user=acting_user, report=report, confirmed=confirmed)
        return _fresh(report)
    if parts is not None:
        parts(report)
    if not submit:
        _write_steps([save_step])
        return _fresh(report)
    warnings = _submission_checks(report, item, current["target_values"], confirmed=confirmed)
    saved = current
    before_submit = {**saved, "status": report.status, "version": report.version}
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = _user_or_none(acting_user)
    report.version += 1
    report.save()
    _write_steps(
        [
            save_step,
            _submit_step(report, acting_user=acting_user, before=before_submit, warnings=warnings),
        ]
    )
    return _fresh(report)


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


def _user_or_none(user: Any) -> Any:
    return user if user is not None and getattr(user, "pk", None) else None


# Read with the report before an edit: what a revision compares (report_data).
_REPORT_PARTS = ("target_values", "milestone_states", "contributions", "evidence")


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
    return dict(TargetValue.objects.filter(report_id=Subquery(last)).values_list("target_id", "value"))


def report_value_warnings(report: ProgressReport) -> list[str]:
    """`value_warnings` for a stored report, against the last approved report before its period."""
    targets = Target.objects.filter(item_id=report.item_id).order_by("position")
    values = {v.target_id: v.value for v in report.target_values.all()}
    return value_warnings(targets, values, _last_approved_values(report.item_id, report.period))


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
    item = _item_for_write(report.item)  # its targets are read by the checks (no milestones needed)
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
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = _user_or_none(acting_user)
    report.version += 1
    report.save()
    _write_steps([_submit_step(report, acting_user=acting_user, before=before, warnings=warnings)])
    return report


def _decide(
    *,
    acting_user: User | None,
    report: ProgressReport,
    status: str,
    comment: str,
    expected_version: int | None,
) -> ProgressReport:
    report = _locked_report(report, with_parts=True)
    report.item = _item_for_write(report.item)
    plan = report.item.project.plan
    _require(
        policies.can_review(acting_user, plan),
        _("Only a reviewer of the plan's region may decide on reports."),
    )
    if not policies.can_approve(acting_user, report):
        raise NotAllowed(_("You cannot decide on your own unit's report."))
    if report.status == status:
        # The same decision again (a double click, a second reviewer): nothing to do, and no conflict.
        return report
    _check_version(report, expected_version)
    _check_period_open(report.period)
    if report.status != ReportStatus.SUBMITTED:
        raise TransitionError(
            _("Only a submitted report can be approved or returned; this one is %s.")
            % report.get_status_display()
        )
    before = report_data(report)
    report.status = status
    report.reviewed_at = timezone.now()
    report.reviewed_by = _user_or_none(acting_user)
    report.review_comment = comment.strip()
    report.version += 1
    report.save()
    action = RevisionAction.APPROVE if status == ReportStatus.APPROVED else RevisionAction.RETURN
    _record(
        report,
        acting_user=acting_user,
        action=action,
        before=before,
        comment=comment.strip(),
        after={**before, "review_comment": report.review_comment},
        bumped=True,
    )
    _notify_unit_of_decision(report)
    return report


def _notify_unit_of_decision(report: ProgressReport) -> None:
    """Tell the unit's reporters (and whoever submitted) that the reviewer approved or returned the report."""
    from django.urls import reverse

    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import User
    from minsheng.notifications.choices import NotificationKind
    from minsheng.notifications.services import notify

    users = list(User.objects.filter(unit_id=report.unit_id, groups__name=Role.REPORTER).distinct())
    submitter = report.submitted_by
    if submitter is not None and all(u.pk != submitter.pk for u in users):
        users.append(submitter)
    if report.status == ReportStatus.APPROVED:
        text = _("Your report on %(item)s for %(period)s was approved.")
    else:
        text = _("Your report on %(item)s for %(period)s was returned: %(comment)s")
    notify(
        users=users,
        kind=NotificationKind.APPROVED
        if report.status == ReportStatus.APPROVED
        else NotificationKind.RETURNED,
        text=text % {"item": report.item, "period": report.period, "comment": report.review_comment},
        link=reverse("progress:report", args=[report.item_id, report.period_id]),
        key=f"report-{report.pk}-{report.status}-v{report.version}",
    )


@transaction.atomic
def report_approve(
    *,
    acting_user: User | None,
    report: ProgressReport,
    comment: str = "",
    expected_version: int | None = None,
) -> ProgressReport:
    """Submitted → approved: the values now count towards progress and reach the public."""
    return _decide(
        acting_user=acting_user,
        report=report,
        status=ReportStatus.APPROVED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def report_return(
    *, acting_user: User | None, report: ProgressReport, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """Submitted → returned (退回) with the reviewer's reason; the unit edits and resubmits."""
    if not (comment or "").strip():
        raise ValidationFailed(_("Say why the report is returned."), field="comment")
    return _decide(
        acting_user=acting_user,
        report=report,
        status=ReportStatus.RETURNED,
        comment=comment,
        expected_version=expected_version,
    )


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


# ---------------------------------------------------------------- extensions and endings


@transaction.atomic
def extension_request(
    *, acting_user: User | None, target: Target, requested_due_date: dt.date, reason: str
) -> ExtensionRequest:
    """A lead unit asks to move a target's due date (延期申请)."""
    target = Target.objects.select_related("item__project__plan").get(pk=target.pk)
    item = _item_for_write(target.item)
    _require(
        policies.can_request_extension(acting_user, item), _("Only the lead unit may ask for an extension.")
    )
    assert acting_user is not None
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason for the extension."), field="reason")
    if requested_due_date <= target.due_date:
        raise ValidationFailed(
            _("The new due date must be after the current one (%s).") % target.due_date,
            field="requested_due_date",
        )
    if ExtensionRequest.objects.filter(target=target, status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("This target already has an extension request waiting for a decision."))
    assert acting_user.unit is not None  # can_request_extension needs a unit
    request = ExtensionRequest.objects.create(
        target=target,
        unit=acting_user.unit,
        original_due_date=target.due_date,
        requested_due_date=requested_due_date,
        reason=reason.strip(),
        requested_by=_user_or_none(acting_user),
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=request,
        plan=item.project.plan,
        after={"target": target.pk, "due_date": str(target.due_date), "requested": str(requested_due_date)},
        message="extension_request",
    )
    return request


@transaction.atomic
def extension_decide(
    *, acting_user: User | None, request: ExtensionRequest, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """The office approves (the target's due date moves) or refuses; the original date stays on record."""
    from minsheng.plans.services import target_update

    request = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("target__item__project__plan")
        .get(pk=request.pk)
    )
    plan = request.target.item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office decides on extensions."))
    year_open_check(plan, reload=False)
    if request.status != ExtensionStatus.PENDING:
        raise TransitionError(_("This request was already decided."))
    if not approve and not (comment or "").strip():
        raise ValidationFailed(_("Say why the extension is refused."), field="comment")
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    request.decided_by = _user_or_none(acting_user)
    request.decided_at = timezone.now()
    request.decision_comment = (comment or "").strip()
    request.save()
    if approve:
        target_update(acting_user=acting_user, target=request.target, due_date=request.requested_due_date)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=request,
        plan=plan,
        before={"status": ExtensionStatus.PENDING},
        after={"status": request.status, "comment": request.decision_comment},
        message="extension_decide",
    )
    return request


@transaction.atomic
def item_end(
    *,
    acting_user: User | None,
    item: Item,
    kind: str,
    reason: str = "",
    ended_on: dt.date | None = None,
) -> ItemOutcome:
    """Record how an item ended: done (accepted, 验收), done after an approved change, or terminated."""
    item = _item_for_write(item)
    plan = item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office ends an item."))
    if kind not in OutcomeKind.values:
        raise ValidationFailed(_("“%s” is not a way an item can end.") % kind, field="kind")
    reason = (reason or "").strip()
    if kind != OutcomeKind.DONE and not reason:
        raise ValidationFailed(_("An adjusted or terminated item needs a reason."), field="reason")
    outcome = ItemOutcome.objects.filter(item=item).first()
    before = (
        None
        if outcome is None
        else {"kind": outcome.kind, "reason": outcome.reason, "ended_on": str(outcome.ended_on)}
    )
    outcome = outcome or ItemOutcome(item=item)
    outcome.kind, outcome.reason = kind, reason
    outcome.ended_on = ended_on or timezone.localdate()
    outcome.decided_by = _user_or_none(acting_user)
    outcome.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE if before is None else Action.UPDATE,
        obj=outcome,
        plan=plan,
        before=before,
        after={"kind": kind, "reason": reason, "ended_on": str(outcome.ended_on)},
        message="item_end",
    )
    return outcome


@transaction.atomic
def target_schedule_set(
    *, acting_user: User | None, target: Target, monthly: list[Any] | None
) -> TargetSchedule | None:
    """Set (or with None, remove) the office's monthly plan for a target: 12 cumulative percentages."""
    target = Target.objects.select_related("item__project__plan").get(pk=target.pk)
    plan = target.item.project.plan
    _require(policies.can_manage(acting_user, plan), _("Only the supervision office sets monthly plans."))
    year_open_check(plan, reload=False)
    current = TargetSchedule.objects.filter(target=target).first()
    before = None if current is None else {"monthly": current.monthly}
    if monthly is None:
        if current is not None:
            current.delete()
            audit_record(
                actor=acting_user,
                action=Action.DELETE,
                obj=target,
                plan=plan,
                before=before,
                message="target_schedule",
            )
        return None
    if len(monthly) != 12:
        raise ValidationFailed(_("A monthly plan has twelve values, one per month."), field="monthly")
    values: list[Decimal] = []
    for month, raw in enumerate(monthly, start=1):
        number = _decimal(raw, _("Month %d") % month)
        if number > 100:
            raise ValidationFailed(_("Month %d: a share cannot exceed 100 %%.") % month, field="monthly")
        if values and number < values[-1]:
            raise ValidationFailed(
                _("Month %d: the cumulative plan cannot go down.") % month, field="monthly"
            )
        values.append(number)
    schedule = current or TargetSchedule(target=target)
    schedule.monthly = [float(v) for v in values]
    schedule.save()
    audit_record(
        actor=acting_user,
        action=Action.UPDATE if current else Action.CREATE,
        obj=target,
        plan=plan,
        before=before,
        after={"monthly": schedule.monthly},
        message="target_schedule",
    )
    return schedule


# ---------------------------------------------------------------- evidence


@transaction.atomic
def evidence_add(
    *, acting_user: User | None, report: ProgressReport, upload: Any, caption: str = ""
) -> Evidence:
    """Attach a photo or document to a report; a refused or failed upload leaves no row and no file."""
    from django.core.files.base import ContentFile

    from minsheng.progress import evidence as files

    report = _locked_report(report)
    item = _item_for_write(report.item)
    allowed = policies.can_report(acting_user, item) or policies.can_contribute(acting_user, item)
    _require(allowed, _("Only the item's units may add evidence."))
    if report.status not in EDITABLE:
        raise TransitionError(_("Evidence can only be added while the report is a draft or returned."))
    _check_period_open(report.period)
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
    data = files.read_upload(upload, name)
    # Idempotent: the same file sent again (a replayed or doubled post) is the row already there. The
    # report row is locked above, so concurrent copies queue here and find the first one.
    digest = hashlib.sha256(data).hexdigest()
    existing = report.evidence.filter(sha256=digest).first()
    if existing is not None:
        if existing.state == EvidenceState.FAILED:
            # The same photo again is how a person retries copies that could not be made.
            existing.state, existing.error = EvidenceState.PROCESSING, ""
            existing.save(update_fields=["state", "error"])
            _enqueue_copies(existing)
            existing.refresh_from_db()
        return existing
    held = report.evidence.aggregate(files=Count("id"), bytes=Sum("size"))
    if held["files"] >= files.max_files_per_report():
        raise ValidationFailed(
            _("A report holds at most %d files; remove one first.") % files.max_files_per_report(),
            field="file",
        )
    if (held["bytes"] or 0) + len(data) > files.max_bytes_per_report():
        raise ValidationFailed(
            _("A report holds at most %s of files; “%s” does not fit.")
            % (files.human_size(files.max_bytes_per_report()), name),
            field="file",
        )
    # Photos: checked now, their clean copy and thumbnail made by the task runner (progress.tasks).
    processed = files.process(data, name, derive=False)
    before = report_data(report)
    evidence = Evidence(
        report=report,
        original_name=name,
        caption=(caption or "").strip()[:255],
        content_type=processed.kind.content_type,
        size=len(data),
        sha256=processed.sha256,
        uploaded_by=_user_or_none(acting_user),
        state=EvidenceState.PROCESSING if processed.kind.image else EvidenceState.READY,
    )
    try:
        evidence.original.save("f" + processed.kind.extension, ContentFile(data), save=False)
        if processed.public_copy is not None:
            ext = files.public_kind(processed.kind).extension
            evidence.public_copy.save("f" + ext, ContentFile(processed.public_copy), save=False)
        if processed.thumbnail is not None:
            evidence.thumbnail.save("f.jpg", ContentFile(processed.thumbnail), save=False)
        evidence.save()
        _record(report, acting_user=acting_user, action=RevisionAction.EVIDENCE, before=before)
        if evidence.state == EvidenceState.PROCESSING:
            _enqueue_copies(evidence)
            evidence.refresh_from_db()  # the immediate backend has made the copies already
    except BaseException:
        for field in (evidence.original, evidence.public_copy, evidence.thumbnail):
            if field.name:
                field.storage.delete(field.name)
        raise
    return evidence


def _enqueue_copies(evidence: Evidence) -> None:
    """Queue the photo's copies in the current transaction: the immediate backend (tests, demo) makes
    them now; the database backend's row commits with the upload, so a worker never sees a photo that
    was rolled back."""
    from minsheng.progress.tasks import evidence_copies

    evidence_copies.enqueue(evidence.pk)


def evidence_copies_make(*, evidence_id: int) -> Evidence | None:
    """Make a photo's clean copy and thumbnail (the task's work). Nothing is half-saved: the files are
    written, then the row is updated in one transaction; on any failure the files written are removed
    and the row records the error (state failed) for the page to show."""
    from django.core.files.base import ContentFile

    from minsheng.progress import evidence as files

    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.state != EvidenceState.PROCESSING:
        return evidence  # deleted meanwhile, or done by an earlier run
    written: list[Any] = []
    try:
        with evidence.original.open("rb") as handle:
            data = handle.read()
        kind, public_copy, thumbnail = files.derive_copies(data, evidence.original_name)
        evidence.public_copy.save(
            "f" + files.public_kind(kind).extension, ContentFile(public_copy), save=False
        )
        written.append(evidence.public_copy)
        evidence.thumbnail.save("f.jpg", ContentFile(thumbnail), save=False)
        written.append(evidence.thumbnail)
        with transaction.atomic():
            evidence.state, evidence.error = EvidenceState.READY, ""
            evidence.save(update_fields=["public_copy", "thumbnail", "state", "error"])
    except Exception as exc:  # recorded for the page; the worker stays up
        for field in written:
            if field.name:
                field.storage.delete(field.name)
        message = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
        Evidence.objects.filter(pk=evidence_id).update(
            state=EvidenceState.FAILED, error=str(message)[:1000], public_copy="", thumbnail=""
        )
        evidence.refresh_from_db()
    return evidence
