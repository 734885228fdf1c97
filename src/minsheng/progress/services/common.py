"""What the progress services share: their errors, the report's data and history (revisions and audit rows), the item as a write reads it, and the checks every write makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import AuditEntry, audit_record_many
from minsheng.core.exceptions import Conflict, NotAllowed, ServiceError, ValidationFailed
from minsheng.core.prepared import prepared_statements
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item
from minsheng.plans.policies import year_open_check
from minsheng.progress import addons
from minsheng.progress.children import item_children_load
from minsheng.progress.choices import MilestoneProgress, ReportStatus
from minsheng.progress.models import (
    REPORT_CONTENT_FIELDS,
    ItemOutcome,
    Period,
    ProgressReport,
    ReportRevision,
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


class AlreadySubmitted(TransitionError):
    """A second "submit" of a report that is submitted or approved already (a double click, a resent
    form): nothing changed. `status`: the report's status as people read it."""

    def __init__(self, status: str) -> None:
        super().__init__(_("Already submitted (%(status)s); nothing was changed.") % {"status": status})


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


SUBMITTED_OR_LATER = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


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


@prepared_statements()  # read by every report write (core.prepared)
def item_for_write(item_id: int) -> Item:
    """The item as a write needs it: its plan (with region) and ending, and its units, targets and
    milestones, in two statements; what the report's parts ask of the item on every write
    (`progress.addons.item_facts`) is annotated on it. A view that reads the item with this passes it,
    and the period it read in the same request, to `report_save`, which then reads neither again."""
    item = (
        Item.objects.select_related("project__plan__region", "outcome")
        .annotate(**addons.item_facts())
        .get(pk=item_id)
    )
    item_children_load(item)
    item._write_loaded = True  # type: ignore[attr-defined]
    return item


def _item_for_write(item: Item) -> Item:
    """`item` as `item_for_write` reads it (read again unless it was). Every write on an item passes
    here, so a closed year (年度关账) is refused here, at no query."""
    if not getattr(item, "_write_loaded", False):
        item = item_for_write(item.pk)
    year_open_check(item.project.plan, reload=False)
    return item


def reports_touch(report_ids: Iterable[int] | QuerySet[Any]) -> int:
    """Mark these reports changed now (`updated_at`) without a new version, for what a review queue card
    shows that no version counts: a photo's copies finished or failed, its check, the values per site.
    The queue keys its kept pages on it (`progress.selectors.queue_mark`), so every such write calls this
    in its own transaction. One query (`report_ids` may be a query of ids); returns how many were touched."""
    return ProgressReport.objects.filter(pk__in=report_ids).update(updated_at=timezone.now())


def _user_or_none(user: Any) -> Any:
    return user if user is not None and getattr(user, "pk", None) else None


# Read with the report before an edit: what a revision compares (report_data).
_REPORT_PARTS = ("target_values", "milestone_states", "contributions", "evidence")
