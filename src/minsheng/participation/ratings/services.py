"""Satisfaction rating (满意度测评) and rectification (整改). Each call is one audited transaction.

The cycle: `rating_event_create` (draft: window and threshold) → `rating_event_open` → each deputy of the
plan's region calls `rating_cast` once per project (inside the window) → `rating_event_close` stores the
results per project and opens a `RectificationTask` for each unsatisfactory project's lead units →
`rectification_report_submit` by a lead unit's reporter → `rectification_report_accept` (closes the task)
or `rectification_report_return` (asks for another report).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.alerts.version import changes_bump_on_commit
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.services import notify
from minsheng.participation import uploads
from minsheng.participation.ratings import policies
from minsheng.participation.ratings.choices import EventStatus, Mark, ReportDecision, TaskStatus
from minsheng.participation.ratings.models import (
    Rating,
    RatingEvent,
    RatingResult,
    RectificationEvidence,
    RectificationReport,
    RectificationTask,
)
from minsheng.participation.ratings.selectors import tally
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import ItemUnit, Plan, Project
from minsheng.supervision.services import unit_reporters

MAX_TEXT = 10_000


def satisfaction_of(satisfied: int, basic: int, votes: int) -> Decimal | None:
    """(满意 + 基本满意) / votes as a percentage with two decimals; None without votes."""
    if votes == 0:
        return None
    return (Decimal(satisfied + basic) * 100 / Decimal(votes)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def is_unsatisfactory(satisfied: int, basic: int, votes: int, threshold: Decimal) -> bool:
    """Below the threshold, compared exactly (no rounding): (s + b) × 100 < threshold × votes."""
    return votes > 0 and Decimal(satisfied + basic) * 100 < threshold * votes


def _event_state(event: RatingEvent) -> dict[str, Any]:
    return {
        "plan": event.plan_id,
        "opens_at": event.opens_at.isoformat(),
        "closes_at": event.closes_at.isoformat(),
        "threshold": str(event.threshold),
        "status": event.status,
    }


def _check_rules(opens_at: dt.datetime | None, closes_at: dt.datetime | None, threshold: Any) -> Decimal:
    if opens_at is None or closes_at is None:
        raise ValidationFailed(_("The rating window needs an opening and a closing time."), field="opens_at")
    if closes_at <= opens_at:
        raise ValidationFailed(_("The window must close after it opens."), field="closes_at")
    try:
        value = Decimal(str(threshold))
    except (ArithmeticError, ValueError):
        raise ValidationFailed(_("The threshold is a percentage from 0 to 100."), field="threshold") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValidationFailed(_("The threshold is a percentage from 0 to 100."), field="threshold")
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def rating_event_create(
    *, acting_user: User | None, plan: Plan, opens_at: dt.datetime, closes_at: dt.datetime, threshold: Any
) -> RatingEvent:
    """Prepare the satisfaction rating of a published plan: its window and threshold (e.g. 80 %)."""
    if acting_user is not None and not policies.can_manage_rating(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of the plan's region prepares its rating."))
    if plan.status != PlanStatus.PUBLISHED:
        raise Conflict(_("Only a published plan is rated."))
    value = _check_rules(opens_at, closes_at, threshold)
    if RatingEvent.objects.filter(plan=plan).exists():
        raise Conflict(_("This plan already has a satisfaction rating."))
    creator = acting_user or User.objects.filter(groups__name=Role.OFFICE, region=plan.region).first()
    if creator is None:
        raise ValidationFailed(_("The plan's region has no office account to own the rating."))
    event = RatingEvent.objects.create(
        plan=plan, opens_at=opens_at, closes_at=closes_at, threshold=value, created_by=creator
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=event,
        plan=plan,
        after=_event_state(event),
        message="satisfaction rating prepared",
    )
    return event


def _locked(event: RatingEvent) -> RatingEvent:
    return RatingEvent.objects.select_for_update().select_related("plan__region").get(pk=event.pk)


def _require_office(acting_user: User | None, event: RatingEvent) -> None:
    if acting_user is not None and not policies.can_manage_rating(acting_user, event.plan):
        raise NotAllowed(_("Only the supervision office of the plan's region manages its rating."))


def _save_event(
    acting_user: User | None,
    event: RatingEvent,
    *,
    before: dict[str, Any],
    fields: list[str],
    message: str,
    outcome: dict[str, Any] | None = None,
) -> RatingEvent:
    """Store an office change to the event's rules or status, audited before/after (plus `outcome`)."""
    event.save(update_fields=fields)
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=event,
        plan=event.plan,
        before=before,
        after={**_event_state(event), **(outcome or {})},
        message=message,
    )
    return event


@transaction.atomic
def rating_event_update(
    *,
    acting_user: User | None,
    event: RatingEvent,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    threshold: Any,
) -> RatingEvent:
    """Change the window or threshold; only before the rating opens."""
    event = _locked(event)
    _require_office(acting_user, event)
    if event.status != EventStatus.DRAFT:
        raise Conflict(_("The rules are fixed once the rating opens."))
    before = _event_state(event)
    event.threshold = _check_rules(opens_at, closes_at, threshold)
    event.opens_at, event.closes_at = opens_at, closes_at
    return _save_event(
        acting_user,
        event,
        before=before,
        fields=["opens_at", "closes_at", "threshold", "updated_at"],
        message="satisfaction rating rules changed",
    )


@transaction.atomic
def rating_event_open(
    *, acting_user: User | None, event: RatingEvent, now: dt.datetime | None = None
) -> RatingEvent:
    """Open the rating: from now on its rules cannot change; deputies rate inside the window."""
    event = _locked(event)
    _require_office(acting_user, event)
    if event.status != EventStatus.DRAFT:
        raise Conflict(_("This rating is already %(status)s.") % {"status": event.get_status_display()})
    if event.closes_at <= (now or timezone.now()):
        raise ValidationFailed(
            _("The window has already closed; set a later closing time."), field="closes_at"
        )
    before = _event_state(event)
    event.status = EventStatus.OPEN
    return _save_event(
        acting_user,
        event,
        before=before,
        fields=["status", "updated_at"],
        message="satisfaction rating opened",
    )


@transaction.atomic
def rating_cast(
    *,
    acting_user: User,
    event: RatingEvent,
    marks: Mapping[Any, str],
    now: dt.datetime | None = None,
) -> list[Rating]:
    """A deputy rates one or more projects (满意 / 基本满意 / 不满意), each project once.

    Refused, with nothing stored: a deputy of another region, outside the window or before/after the
    event, a project of another plan, an unknown mark, a project rated before. The event row is locked,
    so ratings and the close queue; the unique constraint settles concurrent identical posts.
    """
    event = _locked(event)
    plan = event.plan
    if not policies.can_rate(acting_user, event):
        raise NotAllowed(
            _("Only deputies of %(region)s rate this plan's projects.") % {"region": plan.region}
        )
    moment = now or timezone.now()
    if event.status != EventStatus.OPEN or not event.opens_at <= moment <= event.closes_at:
        raise Conflict(
            _("Ratings are taken from %(start)s to %(end)s while the rating is open; nothing was stored.")
            % {
                "start": timezone.localtime(event.opens_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(event.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if not marks:
        raise ValidationFailed(_("Choose a rating for at least one project."), field="marks")
    ids = {key.pk if isinstance(key, Project) else int(key): str(mark) for key, mark in marks.items()}
    projects = {p.pk: p for p in Project.objects.filter(pk__in=ids, plan=plan)}
    for pk, mark in ids.items():
        if pk not in projects:
            raise ValidationFailed(
                _("Project %(pk)s is not a project of this plan; nothing was stored.") % {"pk": pk},
                field="marks",
            )
        if mark not in Mark.values:
            raise ValidationFailed(
                _("“%(mark)s” for %(project)s is not one of 满意, 基本满意, 不满意; nothing was stored.")
                % {"mark": mark, "project": projects[pk]},
                field="marks",
            )
    done = set(
        Rating.objects.filter(event=event, deputy=acting_user, project_id__in=ids).values_list(
            "project_id", flat=True
        )
    )
    if done:
        names = "、".join(str(projects[pk]) for pk in sorted(done))
        raise Conflict(
            _("You have already rated %(projects)s; a rating cannot be changed.") % {"projects": names}
        )
    try:
        with transaction.atomic():
            ratings = Rating.objects.bulk_create(
                [
                    Rating(event=event, project=projects[pk], deputy=acting_user, mark=mark)
                    for pk, mark in ids.items()
                ]
            )
    except IntegrityError:
        raise Conflict(_("You have already rated these projects; a rating cannot be changed.")) from None
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=event,
        plan=plan,
        after={"ratings": {str(pk): mark for pk, mark in sorted(ids.items())}},
        message=f"deputy rated {len(ratings)} project(s)",
    )
    return ratings


def _lead_units(project: Project) -> list[Any]:
    seen: dict[int, Any] = {}
    for iu in (
        ItemUnit.objects.filter(item__project=project, role=UnitRole.LEAD)
        .select_related("unit")
        .order_by("item__position", "position")
    ):
        seen.setdefault(iu.unit_id, iu.unit)
    return list(seen.values())


@transaction.atomic
def rating_event_close(
    *, acting_user: User | None, event: RatingEvent, now: dt.datetime | None = None
) -> RatingEvent:
    """Close the rating (early if need be): store each project's result and open 整改 for those below the
    threshold. Nothing about the ratings changes afterwards."""
    event = _locked(event)
    _require_office(acting_user, event)
    if event.status != EventStatus.OPEN:
        raise Conflict(
            _("Only an open rating can be closed; this one is %(status)s.")
            % {"status": event.get_status_display()}
        )
    before = _event_state(event)
    counts = tally(event)
    results = RatingResult.objects.bulk_create(
        [
            RatingResult(
                event=event,
                project=project,
                satisfied=c.satisfied,
                basic=c.basic,
                unsatisfied=c.unsatisfied,
                votes=c.votes,
                satisfaction=satisfaction_of(c.satisfied, c.basic, c.votes),
                unsatisfactory=is_unsatisfactory(c.satisfied, c.basic, c.votes, event.threshold),
            )
            for project, c in counts
        ]
    )
    opened = []
    for result in results:
        if result.unsatisfactory:
            task = RectificationTask.objects.create(result=result, project=result.project)
            units = _lead_units(result.project)
            task.units.set(units)
            opened.append(task)
            users = [u for unit in units for u in unit_reporters(unit)]
            notify(
                users=users,
                kind=NotificationKind.OTHER,
                text=_("Deputies rated “%(project)s” unsatisfactory: report its rectification.")
                % {"project": result.project},
                link=reverse("ratings:task_detail", args=[task.pk]),
            )
    event.status = EventStatus.CLOSED
    event.closed_at = now or timezone.now()
    _save_event(
        acting_user,
        event,
        before=before,
        fields=["status", "closed_at", "updated_at"],
        message="satisfaction rating closed",
        outcome={"unsatisfactory": [t.project_id for t in opened], "votes": sum(r.votes for r in results)},
    )
    changes_bump_on_commit()  # the portal's cached plan page gains its link to the results
    return event


def _task_state(task: RectificationTask) -> dict[str, Any]:
    return {"project": task.project_id, "status": task.status}


def _locked_task(task: RectificationTask) -> RectificationTask:
    return (
        RectificationTask.objects.select_for_update().select_related("project__plan__region").get(pk=task.pk)
    )


def _office_users(plan: Plan) -> list[User]:
    return list(User.objects.filter(groups__name=Role.OFFICE, region=plan.region, is_active=True))


@transaction.atomic
def rectification_report_submit(
    *, acting_user: User, task: RectificationTask, text: str, files: Iterable[Any] = ()
) -> RectificationReport:
    """A lead unit's reporter reports the rectification, with photos or documents; the office is notified.

    A refused file stores nothing: no report, no files."""
    task = _locked_task(task)
    unit = policies.task_unit_for(acting_user, task)
    if unit is None:
        raise NotAllowed(_("Only a reporter of the project's lead unit reports its rectification."))
    if task.status not in (TaskStatus.OPEN, TaskStatus.RETURNED):
        raise Conflict(
            _("This rectification is %(status)s; it takes no report now.")
            % {"status": task.get_status_display()}
        )
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Say what was rectified."), field="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("The text is longer than %d characters.") % MAX_TEXT, field="text")
    checked = uploads.check_uploads(files)
    before = _task_state(task)
    stored: list[RectificationEvidence] = []
    try:
        report = RectificationReport.objects.create(task=task, unit=unit, author=acting_user, text=text)
        for name, data, processed in checked:
            evidence = RectificationEvidence(report=report)
            stored.append(evidence)
            uploads.store(evidence, name, data, processed)
        task.status = TaskStatus.SUBMITTED
        task.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=acting_user,
            action=Action.UPDATE,
            obj=task,
            plan=task.project.plan,
            before=before,
            after={**_task_state(task), "report": text, "files": [e.sha256 for e in stored]},
            message="rectification reported",
        )
    except BaseException:
        uploads.remove_files(stored)
        raise
    notify(
        users=_office_users(task.project.plan),
        kind=NotificationKind.OTHER,
        text=_("%(unit)s reported the rectification of “%(project)s”.")
        % {"unit": unit, "project": task.project},
        link=reverse("ratings:task_detail", args=[task.pk]),
    )
    return report


def _decide(
    *, acting_user: User | None, report: RectificationReport, accept: bool, comment: str
) -> RectificationReport:
    report = RectificationReport.objects.select_for_update().get(pk=report.pk)
    task = _locked_task(report.task)
    if acting_user is not None and not policies.can_decide_task(acting_user, task):
        raise NotAllowed(_("Only the supervision office accepts or returns rectification reports."))
    if report.decision != ReportDecision.PENDING or task.status != TaskStatus.SUBMITTED:
        raise Conflict(_("This report has already been decided."))
    before = _task_state(task)
    now = timezone.now()
    report.decision = ReportDecision.ACCEPTED if accept else ReportDecision.RETURNED
    report.decision_comment = comment
    report.decided_by = acting_user
    report.decided_at = now
    report.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    task.status = TaskStatus.CLOSED if accept else TaskStatus.RETURNED
    task.closed_at = now if accept else None
    task.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=task,
        plan=task.project.plan,
        before=before,
        after={**_task_state(task), "report": report.pk, "comment": comment},
        message="rectification accepted" if accept else "rectification returned",
    )
    notify(
        users=unit_reporters(report.unit),
        kind=NotificationKind.OTHER,
        text=_("The rectification of “%(project)s” is %(status)s.")
        % {"project": task.project, "status": task.get_status_display()},
        link=reverse("ratings:task_detail", args=[task.pk]),
    )
    return report


@transaction.atomic
def rectification_report_accept(
    *, acting_user: User | None, report: RectificationReport, comment: str = ""
) -> RectificationReport:
    """The office accepts the report: the rectification task is closed."""
    return _decide(acting_user=acting_user, report=report, accept=True, comment=(comment or "").strip())


@transaction.atomic
def rectification_report_return(
    *, acting_user: User | None, report: RectificationReport, comment: str
) -> RectificationReport:
    """The office returns the report, saying what is missing; the unit reports again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("Say what is missing when returning a report."), field="comment")
    return _decide(acting_user=acting_user, report=report, accept=False, comment=comment)
