"""Write the year's end. Every function is keyword-only, takes `acting_user` (None: the operator at the
command line), runs in one transaction, checks `yearend.policies` and writes one audit row.

- `year_end_date_set(*, acting_user, plan, on)` — 年终认定: endings and approvals dated up to `on` count
  for the year's final result; the plan's stored lights are rebuilt.
- `year_close(*, acting_user, plan, reading_on=None, today=None) -> YearClose` — 年度关账: closes the
  open periods, freezes each item's final result (`FinalResult`: light, values, ending, money planned,
  in place and paid from `funds`) and marks the plan closed, after which
  plans' and progress' services refuse changes to it.
- `final_result_correct(*, acting_user, item, reason, reached=None, ending=None) -> FinalResult` — a
  recorded correction of a closed year's final result.
- `carry_over(*, acting_user, plan) -> CarryResult` — 结转: unfinished items into the next year's draft
  plan of the region (created when there is none), with their remaining targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.alerts.selectors import item_statuses, light_day, plan_rules
from minsheng.alerts.services import period_close
from minsheng.alerts.signals import plan_changed
from minsheng.alerts.status import ItemStatus, Status
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.bulletins.document import _num as figure
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.funds.lights import fund_statuses
from minsheng.orgs.selectors import region_display_name
from minsheng.plans.choices import PlanStatus, TargetOp
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target
from minsheng.progress.choices import OutcomeKind, ReportStatus
from minsheng.progress.models import ItemOutcome, Period, ProgressReport
from minsheng.yearend.lights import final_status
from minsheng.yearend.models import CarryOver, FinalCorrection, FinalResult, YearClose
from minsheng.yearend.policies import can_manage_year_end
from minsheng.yearend.selectors import unfinished

if TYPE_CHECKING:
    from minsheng.accounts.models import User

CARRY_PROJECT = "结转项目"


def _require(acting_user: User | None, plan: Plan) -> None:
    if acting_user is not None and not can_manage_year_end(acting_user, plan):
        raise NotAllowed(_("Only the supervision office of the plan's region manages its year end."))


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "pk", None) else None


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` (approvals before it count)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _check_reading_date(plan: Plan, on: Any) -> dt.date:
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on.strip())
        except ValueError:
            raise ValidationFailed(
                _("Year-end reading date: “%s” is not a date (YYYY-MM-DD).") % on, field="on"
            ) from None
    if not isinstance(on, dt.date):
        raise ValidationFailed(_("Year-end reading date: give a date."), field="on")
    if on < dt.date(plan.year, 12, 31):
        raise ValidationFailed(
            _("Year-end reading date: %(day)s is before 31 December %(year)s, the end of the plan's year.")
            % {"day": on.isoformat(), "year": plan.year},
            field="on",
        )
    if on > dt.date(plan.year + 1, 12, 31):
        raise ValidationFailed(
            _("Year-end reading date: %(day)s is more than a year after the plan's year (%(year)s).")
            % {"day": on.isoformat(), "year": plan.year},
            field="on",
        )
    return on


def _check_open(plan: Plan) -> None:
    if plan.year_closed_at is not None:
        raise Conflict(
            _("The year %(year)s of this plan was closed on %(day)s; it can no longer change.")
            % {"year": plan.year, "day": timezone.localtime(plan.year_closed_at).date().isoformat()}
        )


def _check_published(plan: Plan) -> None:
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationFailed(_("Only a published plan has a year end."))


@transaction.atomic
def year_end_date_set(*, acting_user: User | None, plan: Plan, on: dt.date | str) -> Plan:
    """年终认定: set the day up to which endings and approvals count for the year's final result (at the
    earliest 31 December of the plan's year, e.g. the people's congress meeting). Rebuilds the lights."""
    plan = _locked(plan)
    _require(acting_user, plan)
    _check_published(plan)
    _check_open(plan)
    on = _check_reading_date(plan, on)
    before = plan.year_end_on
    if before == on:
        return plan
    plan.year_end_on = on
    plan.save(update_fields=["year_end_on", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=plan,
        plan=plan,
        before={"year_end_on": before.isoformat() if before else None},
        after={"year_end_on": on.isoformat()},
        message="year_end_date_set",
    )
    plan_changed(plan.pk)  # the stored lights follow the new reading (rebuilt after commit)
    return plan


def _target_json(target: Target, part: Any) -> dict[str, Any]:
    return {
        "id": target.pk,
        "quote": target.quote,
        "op": target.op,
        "value": format(target.value, "f"),
        "unit": target.unit,
        "baseline": None if target.baseline is None else format(target.baseline, "f"),
        "due": target.due_date.isoformat(),
        "reached": None if part is None or part.reached is None else format(part.reached, "f"),
        "completion": 0.0 if part is None else round(part.completion, 4),
        "achieved": None if part is None or part.achieved is None else round(part.achieved, 4),
        "status": str(part.status) if part is not None else str(Status.NOT_STARTED),
    }


def _milestone_json(milestone: Milestone, part: Any) -> dict[str, Any]:
    done = part is not None and part.done
    under_way = part is not None and not done and part.completion > 0
    return {
        "id": milestone.pk,
        "quote": milestone.quote,
        "due": milestone.due_date.isoformat(),
        "state": "done" if done else "in_progress" if under_way else None,
        "status": str(part.status) if part is not None else str(Status.NOT_STARTED),
    }


def _values(item: Item, status: ItemStatus) -> dict[str, Any]:
    targets = {p.key: p for p in status.targets}
    milestones = {p.key: p for p in status.milestones}
    return {
        "targets": [
            _target_json(t, targets.get(t.pk)) for t in sorted(item.targets.all(), key=lambda t: t.position)
        ],
        "milestones": [
            _milestone_json(m, milestones.get(m.pk))
            for m in sorted(item.milestones.all(), key=lambda m: m.position)
        ],
    }


def _last_problems(plan: Plan, reading: dt.date) -> dict[int, str]:
    """存在问题 of each item's last approved report counted by the reading date (one query)."""
    rows = (
        ProgressReport.objects.filter(
            item__project__plan=plan, status=ReportStatus.APPROVED, reviewed_at__lt=_end_of(reading)
        )
        .exclude(problems="")
        .order_by("item_id", "-period__start")
        .values_list("item_id", "problems")
    )
    found: dict[int, str] = {}
    for item_id, problems in rows:
        found.setdefault(item_id, problems)
    return found


@transaction.atomic
def year_close(
    *,
    acting_user: User | None,
    plan: Plan,
    reading_on: dt.date | str | None = None,
    today: dt.date | None = None,
) -> YearClose:
    """年度关账: close the open periods (refused while reports wait for review), freeze each item's final
    result as of the year-end reading date (set here with `reading_on`; without one, the closing day),
    and mark the plan closed."""
    plan = _locked(plan)
    _require(acting_user, plan)
    _check_published(plan)
    _check_open(plan)
    today = today or timezone.localdate()
    if today <= dt.date(plan.year, 12, 31):
        raise ValidationFailed(
            _("The year %(year)s is not over: it can be closed from 1 January %(next)s.")
            % {"year": plan.year, "next": plan.year + 1}
        )
    before = plan.year_end_on
    if reading_on is not None:
        plan.year_end_on = _check_reading_date(plan, reading_on)
    elif plan.year_end_on is None:
        plan.year_end_on = today
    reading = plan.year_end_on
    assert reading is not None
    if reading > today:
        raise ValidationFailed(
            _("The year-end reading date %(day)s is still to come: close the year on or after it.")
            % {"day": reading.isoformat()},
            field="on",
        )
    plan.save(update_fields=["year_end_on", "updated_at"])
    for period in Period.objects.filter(plan=plan, closed_at__isnull=True).order_by("start"):
        period_close(acting_user=acting_user, period=period)
    statuses = item_statuses(plan, light_day(plan, today))
    items = {
        item.pk: item
        for item in Item.objects.filter(project__plan=plan).prefetch_related("targets", "milestones")
    }
    outcomes = {
        o.item_id: o for o in ItemOutcome.objects.filter(item__project__plan=plan, ended_on__lte=reading)
    }
    problems = _last_problems(plan, reading)
    money = fund_statuses(plan, light_day(plan, today))
    results = []
    for item_id, status in statuses.items():
        outcome = outcomes.get(item_id)
        values = _values(items[item_id], status)
        found = money.get(item_id)
        if found is not None and found.measurable:
            values["funds"] = {
                "planned": format(found.planned, "f"),
                "in_place": format(found.in_place, "f"),
                "paid": format(found.paid, "f"),
            }
        results.append(
            FinalResult(
                plan=plan,
                item_id=item_id,
                status=str(status.status),
                completion=Decimal(f"{status.completion:.4f}"),
                values=values,
                ending=outcome.kind if outcome else "",
                ending_reason=outcome.reason if outcome else "",
                ended_on=outcome.ended_on if outcome else None,
                problems=problems.get(item_id, ""),
            )
        )
    FinalResult.objects.bulk_create(results)
    plan.year_closed_at = timezone.now()
    plan.save(update_fields=["year_closed_at", "updated_at"])
    close = YearClose.objects.create(plan=plan, reading_on=reading, closed_by=_user(acting_user))
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=plan,
        plan=plan,
        before={"year_end_on": before.isoformat() if before else None, "year_closed_at": None},
        after={
            "year_end_on": reading.isoformat(),
            "year_closed_at": plan.year_closed_at.isoformat(),
            "final_results": counts,
        },
        message="year_close",
    )
    plan_changed(plan.pk)
    return close


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": value}
        ) from None
    if not number.is_finite() or number < 0:
        raise ValidationFailed(_("%(where)s: give a number of 0 or more.") % {"where": where})
    return number.quantize(Decimal("0.0001"))


def _recompute(plan: Plan, values: dict[str, Any], ending: str) -> ItemStatus:
    """The final light from (corrected) values by the same rule as every light (`alerts.status`)."""
    return final_status(plan, values, ending, plan_rules(plan))


def _result_json(result: FinalResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "completion": format(result.completion, "f"),
        "ending": result.ending,
        "reached": {str(t["id"]): t.get("reached") for t in (result.values or {}).get("targets", [])},
    }


@transaction.atomic
def final_result_correct(
    *,
    acting_user: User | None,
    item: Item,
    reason: str,
    reached: Mapping[Any, Any] | None = None,
    ending: str | None = None,
) -> FinalResult:
    """最终结果更正: change a closed year's final result of `item` — the values reached (target id →
    value) and/or its ending ("" for none) — with a reason; the light is recomputed by the usual rule.
    Audited, kept as a `FinalCorrection` and shown on the item's pages and in the completion report."""
    item = Item.objects.select_related("project__plan__region").get(pk=item.pk)
    plan = _locked(item.project.plan)
    _require(acting_user, plan)
    result = FinalResult.objects.select_for_update().filter(item=item).first()
    if plan.year_closed_at is None or result is None:
        raise ValidationFailed(_("Only a closed year's final result can be corrected; close the year first."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the final result is corrected."), field="reason")
    if ending is not None and ending != "" and ending not in OutcomeKind.values:
        raise ValidationFailed(_("“%s” is not a way an item can end.") % ending, field="ending")
    values = {key: [dict(part) for part in parts] for key, parts in (result.values or {}).items()}
    by_id = {str(t["id"]): t for t in values.get("targets", [])}
    for key, raw in (reached or {}).items():
        target_id = str(getattr(key, "pk", key))
        if target_id not in by_id:
            raise ValidationFailed(
                _("Target %s is not a target of this item.") % target_id, field=f"target_{target_id}"
            )
        number = _decimal(raw, by_id[target_id]["quote"][:40])
        by_id[target_id]["reached"] = None if number is None else format(number, "f")
    new_ending = result.ending if ending is None else ending
    before = _result_json(result)
    status = _recompute(plan, values, new_ending)
    parts = {p.key: p for p in status.targets}
    for target in values.get("targets", []):
        part = parts.get(int(target["id"]))
        if part is not None:
            target.update(
                completion=round(part.completion, 4),
                achieved=None if part.achieved is None else round(part.achieved, 4),
                status=str(part.status),
            )
    result.values = values
    result.status = str(status.status)
    result.completion = Decimal(f"{status.completion:.4f}")
    if new_ending != result.ending:
        result.ending = new_ending
        result.ending_reason = reason if new_ending else ""
        result.ended_on = timezone.localdate() if new_ending else None
    result.corrected = True
    result.save()
    after = _result_json(result)
    FinalCorrection.objects.create(
        result=result, reason=reason, before=before, after=after, corrected_by=_user(acting_user)
    )
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=result,
        plan=plan,
        before=before,
        after={**after, "reason": reason},
        message="final_result_correct",
    )
    plan_changed(plan.pk)  # stored lights and cached pages show the corrected result (yearend.lights)
    return result


@dataclass
class CarryResult:
    """What `carry_over` did: the next year's plan, whether it was created, the items carried."""

    plan: Plan | None
    created: bool = False
    carried: list[CarryOver] = field(default_factory=list)


def remaining_target(target: dict[str, Any]) -> Decimal | None:
    """What is left of a target at the year's end, by its comparison (op): promised − reached for "at
    least", "equal to" and "about" (reached counts from the baseline when nothing was reported); None for
    an "at most" bound, which carries over unchanged."""
    if target["op"] == TargetOp.LTE:
        return None
    if target.get("reached") is not None:
        reached = Decimal(target["reached"])
    elif target.get("baseline") is not None:
        reached = Decimal(target["baseline"])
    else:
        reached = Decimal(0)
    return max(Decimal(target["value"]) - reached, Decimal(0))


def _next_plan(plan: Plan) -> tuple[Plan, bool]:
    """The region's draft plan of the next year (the first one), else a new draft."""
    year = plan.year + 1
    found = Plan.objects.filter(region=plan.region, year=year, status=PlanStatus.DRAFT).order_by("pk").first()
    if found is not None:
        return found, False
    title = f"{region_display_name(plan.region)}{year}年民生实事项目（结转）"
    if Plan.objects.filter(region=plan.region, year=year, title=title).exists():
        raise Conflict(
            _("“%s” exists and is published: items carry over only into a draft plan; add them by hand.")
            % title
        )
    return Plan.objects.create(region=plan.region, year=year, title=title), True


def _carry_project(next_plan: Plan) -> Project:
    """The next plan's 结转项目 project (made once, at the end of its list)."""
    existing = CarryOver.objects.filter(item__project__plan=next_plan).select_related("item__project").first()
    if existing is not None:
        return existing.item.project
    found = Project.objects.filter(plan=next_plan, name=CARRY_PROJECT).first()
    if found is not None:
        return found
    tops = Project.objects.filter(plan=next_plan).aggregate(no=Max("no"), position=Max("position"))
    return Project.objects.create(
        plan=next_plan,
        no=(tops["no"] or 0) + 1,
        position=(tops["position"] or 0) + 1,
        name=CARRY_PROJECT,
    )


def _carry_item(
    origin: Item, result: FinalResult, project: Project, position: int, year: int
) -> tuple[Item, list[dict[str, Any]]]:
    due = dt.date(year, 12, 31)
    item = Item.objects.create(
        project=project,
        position=position,
        text=origin.text,
        extra={"carried_from": {"plan": origin.project.plan_id, "item": origin.pk}},
    )
    ItemUnit.objects.bulk_create(
        ItemUnit(item=item, unit_id=u.unit_id, role=u.role, position=u.position, written_as=u.written_as)
        for u in origin.item_units.all()
    )
    remaining: list[dict[str, Any]] = []
    position = 0
    for target in (result.values or {}).get("targets", []):
        if target.get("status") == Status.DONE:
            continue
        left = remaining_target(target)
        if left is not None and left <= 0:
            continue
        position += 1
        unit = target.get("unit") or ""
        baseline = None
        if left is None:
            quote, value = f"{target['quote']}（{year - 1}年结转）", Decimal(target["value"])
        else:
            quote = f"{target['quote']}（{year - 1}年结转，剩余{figure(left, unit)}{unit}）"
            value = left
            if target.get("baseline") is not None:
                # A level to reach (e.g. a rate): same level, counted from where it stands now.
                value = Decimal(target["value"])
                baseline = Decimal(target["reached"] or target["baseline"])
        new = Target.objects.create(
            item=item,
            position=position,
            quote=quote,
            value=value,
            unit=unit,
            op=target["op"],
            baseline=baseline,
            due_date=due,
        )
        remaining.append(
            {
                "origin": target["id"],
                "target": new.pk,
                "op": target["op"],
                "promised": target["value"],
                "reached": target.get("reached"),
                "remaining": None if left is None else format(left, "f"),
                "unit": unit,
            }
        )
    milestones = [m for m in (result.values or {}).get("milestones", []) if m.get("state") != "done"]
    subjects = {m.pk: m for m in origin.milestones.all()}
    Milestone.objects.bulk_create(
        Milestone(
            item=item,
            position=n,
            quote=subjects[m["id"]].quote,
            subject=subjects[m["id"]].subject,
            state=subjects[m["id"]].state,
            due_date=due,
        )
        for n, m in enumerate(milestones, start=1)
        if m["id"] in subjects
    )
    return item, remaining


@transaction.atomic
def carry_over(*, acting_user: User | None, plan: Plan) -> CarryResult:
    """结转: each unfinished item of a closed year (not done, not terminated) goes into the next year's
    draft plan of the region, under a 结转项目 project, with its remaining targets and unfinished
    milestones, linked to its origin. Items carried before are left alone (running it again adds none)."""
    plan = _locked(plan)
    _require(acting_user, plan)
    if plan.year_closed_at is None:
        raise ValidationFailed(_("Close the year first: only a closed year's unfinished items carry over."))
    results = list(
        FinalResult.objects.filter(plan=plan)
        .select_related("item__project")
        .prefetch_related("item__item_units", "item__milestones")
        .order_by("item__project__position", "item__project__no", "item__position")
    )
    done = set(CarryOver.objects.filter(origin__project__plan=plan).values_list("origin_id", flat=True))
    todo = [r for r in results if unfinished(r) and r.item_id not in done]
    if not todo:
        first = CarryOver.objects.filter(origin__project__plan=plan).select_related("item__project__plan")
        link = first.first()
        return CarryResult(plan=link.item.project.plan if link else None)
    next_plan, created = _next_plan(plan)
    project = _carry_project(next_plan)
    position = (Item.objects.filter(project=project).aggregate(top=Max("position"))["top"] or 0) + 1
    carried = []
    for n, result in enumerate(todo):
        item, remaining = _carry_item(result.item, result, project, position + n, next_plan.year)
        carried.append(
            CarryOver.objects.create(
                origin=result.item, item=item, remaining=remaining, created_by=_user(acting_user)
            )
        )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        obj=next_plan,
        plan=plan,
        after={
            "next_plan": next_plan.pk,
            "plan_created": created,
            "project": project.pk,
            "carried": [{"origin": c.origin_id, "item": c.item_id} for c in carried],
        },
        message="carry_over",
    )
    return CarryResult(plan=next_plan, created=created, carried=carried)
