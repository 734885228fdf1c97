"""Write plans: corrections by the office (targets, milestones, units) and publishing.

Every function checks `can_edit_plan` when a person acts (acting_user None means the system, e.g. a
command run by the operator) and writes an AuditEvent with before → after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import UnitResolver, units_closest_many
from minsheng.orgs.services import unit_create
from minsheng.plans.choices import PlanStatus, TargetOp, UnitRole
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Target
from minsheng.plans.policies import can_edit_plan, can_publish_plan, year_open_check
from minsheng.plans.signals import plan_published

if TYPE_CHECKING:
    from minsheng.accounts.models import User

TARGET_FIELDS = ("quote", "value", "unit", "op", "baseline", "range_max", "due_date")
MILESTONE_FIELDS = ("quote", "subject", "state", "due_date")


def year_end(year: int) -> dt.date:
    """The default due date: 31 December of the plan year."""
    return dt.date(year, 12, 31)


def _check_edit(acting_user: User | None, plan: Plan) -> None:
    year_open_check(plan)
    if acting_user is not None and not can_edit_plan(acting_user, plan):
        raise NotAllowed("Only the supervision office of this plan's region may change it.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decimal(value: Any, field: str, *, optional: bool = False) -> Decimal | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationFailed(f"{field} is required.", field=field)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(f"{field}: {value!r} is not a number.", field=field) from exc
    if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
        raise ValidationFailed(f"{field}: {value!r} is out of range.", field=field)
    return number


def target_clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Check and convert target fields; raises ValidationFailed naming the field."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown target field(s): {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "value":
            clean[name] = _decimal(value, name)
        elif name in ("baseline", "range_max"):
            clean[name] = _decimal(value, name, optional=True)
        elif name == "op":
            if value not in TargetOp.values:
                raise ValidationFailed(
                    f"op: {value!r} is not one of {', '.join(TargetOp.values)}.", field=name
                )
            clean[name] = value
        elif name == "due_date":
            if isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError as exc:
                    raise ValidationFailed(
                        f"due_date: {value!r} is not a date (YYYY-MM-DD).", field=name
                    ) from exc
            if not isinstance(value, dt.date):
                raise ValidationFailed("due_date must be a date.", field=name)
            clean[name] = value
        else:
            clean[name] = (value or "").strip()
    if "quote" in clean and not clean["quote"]:
        raise ValidationFailed("quote cannot be empty.", field="quote")
    return clean


@transaction.atomic
def target_update(*, acting_user: User | None, target: Target, **fields: Any) -> Target:
    """Correct a target (value, unit, op, baseline, range, due date, quote). Keeps its pk."""
    plan = target.item.project.plan
    _check_edit(acting_user, plan)
    clean = target_clean(fields)
    before = {name: _jsonable(getattr(target, name)) for name in clean}
    for name, value in clean.items():
        setattr(target, name, value)
    if target.range_max is not None and target.range_max < target.value:
        raise ValidationFailed("range_max cannot be below value.", field="range_max")
    after = {name: _jsonable(getattr(target, name)) for name in clean}
    if before == after:
        return target
    target.save(update_fields=list(clean))
    audit_record(actor=acting_user, action=Action.UPDATE, obj=target, plan=plan, before=before, after=after)
    return target


@transaction.atomic
def target_create(*, acting_user: User | None, item: Item, **fields: Any) -> Target:
    """Add a target the parser missed, at the end of the item's targets."""
    plan = item.project.plan
    _check_edit(acting_user, plan)
    clean = target_clean(fields)
    for required in ("quote", "value"):
        if required not in clean:
            raise ValidationFailed(f"{required} is required.", field=required)
    clean.setdefault("due_date", year_end(plan.year))
    position = (item.targets.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    target = Target(item=item, position=position, **clean)
    if target.range_max is not None and target.range_max < target.value:
        raise ValidationFailed("range_max cannot be below value.", field="range_max")
    target.save()
    after = {name: _jsonable(getattr(target, name)) for name in TARGET_FIELDS}
    audit_record(actor=acting_user, action=Action.CREATE, obj=target, plan=plan, after=after)
    return target


@transaction.atomic
def target_delete(*, acting_user: User | None, target: Target) -> None:
    """Remove a target the parser found by mistake."""
    plan = target.item.project.plan
    _check_edit(acting_user, plan)
    before = {name: _jsonable(getattr(target, name)) for name in TARGET_FIELDS}
    audit_record(actor=acting_user, action=Action.DELETE, obj=target, plan=plan, before=before)
    target.delete()


@transaction.atomic
def milestone_update(*, acting_user: User | None, milestone: Milestone, **fields: Any) -> Milestone:
    """Correct a milestone (quote, subject, state, due date)."""
    plan = milestone.item.project.plan
    _check_edit(acting_user, plan)
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown milestone field(s): {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "due_date":
            clean[name] = target_clean({"due_date": value})["due_date"]
        else:
            text = (value or "").strip()
            if not text:
                raise ValidationFailed(f"{name} cannot be empty.", field=name)
            clean[name] = text
    before = {name: _jsonable(getattr(milestone, name)) for name in clean}
    for name, value in clean.items():
        setattr(milestone, name, value)
    after = {name: _jsonable(getattr(milestone, name)) for name in clean}
    if before == after:
        return milestone
    milestone.save(update_fields=list(clean))
    audit_record(
        actor=acting_user, action=Action.UPDATE, obj=milestone, plan=plan, before=before, after=after
    )
    return milestone


def units_for_names(*, acting_user: User | None, resolver: UnitResolver, names: list[str]) -> list[Unit]:
    """Units for names as written, creating the ones not known yet in the resolver's region."""
    units = []
    for name in names:
        match = resolver.resolve(name)
        if match.unit_id is not None:
            unit = resolver.units[match.unit_id]
        else:
            unit = unit_create(
                acting_user=acting_user, name=match.unit_name, region=resolver.region, kind=match.kind
            )
            resolver.remember(unit)
        units.append(unit)
    return units


def _refuse_unknown_units(resolver: UnitResolver, names: list[str]) -> None:
    unknown = [name for name in names if resolver.resolve(name).via == "new"]
    if not unknown:
        return
    hints = []
    for name, found in units_closest_many(resolver.region, unknown).items():
        closest = [unit.name for unit, _score in found]
        hints.append(f"{name}（{'、'.join(closest)}？）" if closest else name)
    raise ValidationFailed(
        gettext(
            "Not a unit of this region yet: %(names)s. Write the existing unit's name, or confirm new units."
        )
        % {"names": "；".join(hints)},
        field="names",
    )


def clean_unit_names(names: list[str]) -> list[str]:
    """Names stripped, empty ones dropped, each kept once in order."""
    seen: set[str] = set()
    out = []
    for name in names:
        name = (name or "").strip()
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


@transaction.atomic
def item_units_set(
    *,
    acting_user: User | None,
    item: Item,
    role: str,
    names: list[str],
    resolver: UnitResolver | None = None,
    create_units: bool = True,
) -> list[ItemUnit]:
    """Replace the item's lead or partner units by `names` (as written), resolving or creating units.

    With `create_units=False` (the pages, until the office confirms) a name that is no unit of the
    region is refused with the closest existing units offered instead of creating a new one."""
    plan = item.project.plan
    _check_edit(acting_user, plan)
    if role not in UnitRole.values:
        raise ValidationFailed(f"role must be one of {', '.join(UnitRole.values)}.", field="role")
    names = clean_unit_names(names)
    for name in names:
        if len(name) > ItemUnit._meta.get_field("written_as").max_length:  # type: ignore[operator]
            raise ValidationFailed(f"Unit name too long: {name[:40]}…", field="names")
    current = list(item.item_units.filter(role=role).order_by("position"))
    before = [iu.written_as for iu in current]
    if before == names:
        return current
    resolver = resolver or UnitResolver(plan.region)
    if not create_units:
        _refuse_unknown_units(resolver, names)
    units = units_for_names(acting_user=acting_user, resolver=resolver, names=names)
    item.item_units.filter(role=role).delete()
    rows = ItemUnit.objects.bulk_create(
        ItemUnit(item=item, unit=unit, role=role, position=pos, written_as=name)
        for pos, (name, unit) in enumerate(zip(names, units, strict=True), start=1)
    )
    if acting_user is not None or current:
        audit_record(
            actor=acting_user,
            action=Action.UPDATE,
            obj=item,
            plan=plan,
            before={f"{role}_units": before},
            after={f"{role}_units": names},
        )
    return rows


@transaction.atomic
def item_update(
    *, acting_user: User | None, item: Item, text: str | None = None, extra: dict | None = None
) -> Item:
    """Correct an item's text or extra columns."""
    plan = item.project.plan
    _check_edit(acting_user, plan)
    changed: dict[str, Any] = {}
    if text is not None:
        text = text.strip()
        if not text:
            raise ValidationFailed("The item text cannot be empty.", field="text")
        changed["text"] = text
    if extra is not None:
        changed["extra"] = dict(extra)
    before = {name: getattr(item, name) for name in changed}
    if before == changed:
        return item
    for name, value in changed.items():
        setattr(item, name, value)
    item.save(update_fields=list(changed))
    audit_record(actor=acting_user, action=Action.UPDATE, obj=item, plan=plan, before=before, after=changed)
    return item


@transaction.atomic
def plan_publish(*, acting_user: User | None, plan: Plan) -> Plan:
    """Publish a draft plan so units, leaders and deputies see it. Publishing twice changes nothing."""
    if acting_user is not None and not can_publish_plan(acting_user, plan):
        raise NotAllowed("Only the supervision office of this plan's region may publish it.")
    if plan.status == PlanStatus.PUBLISHED:
        return plan
    if not plan.projects.exists():
        raise ValidationFailed("A plan without projects cannot be published.")
    before = {"status": plan.status}
    plan.status = PlanStatus.PUBLISHED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.PUBLISH,
        obj=plan,
        plan=plan,
        before=before,
        after={"status": plan.status},
    )
    plan_published.send(sender=Plan, plan=plan, acting_user=acting_user)
    return plan
