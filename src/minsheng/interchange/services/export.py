"""Export a plan back as Plan JSON, units as written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed
from minsheng.interchange.services.diff import _item_units_written, _num
from minsheng.orgs.selectors import region_display_name
from minsheng.plans.models import Plan
from minsheng.plans.selectors import plan_detail
from minsheng.plans.services import year_end

if TYPE_CHECKING:
    from minsheng.accounts.models import User

# --- export -----------------------------------------------------------------------------------


def plan_export_json(plan: Plan) -> dict[str, Any]:
    """The plan as Plan JSON (docs/plan-json.md): units as written, values as numbers.

    Due dates appear only where they differ from 31 December of the plan year.
    """
    plan = plan_detail(plan.pk)
    default_due = year_end(plan.year)
    projects = []
    for project in plan.projects.all():
        items = []
        for item in project.items.all():
            out: dict[str, Any] = {"text": item.text, **_item_units_written(item)}
            targets = []
            for t in item.targets.all():
                target = {"quote": t.quote, "value": _num(t.value), "unit": t.unit, "op": t.op}
                if t.baseline is not None:
                    target["baseline"] = _num(t.baseline)
                if t.range_max is not None:
                    target["range_max"] = _num(t.range_max)
                if t.due_date != default_due:
                    target["due_date"] = t.due_date.isoformat()
                targets.append(target)
            out["targets"] = targets
            milestones = []
            for m in item.milestones.all():
                milestone = {"quote": m.quote, "subject": m.subject, "state": m.state}
                if m.due_date != default_due:
                    milestone["due_date"] = m.due_date.isoformat()
                milestones.append(milestone)
            out["milestones"] = milestones
            for key, value in (item.extra or {}).items():
                out.setdefault(key, value)
            items.append(out)
        entry: dict[str, Any] = {"no": project.no, "name": project.name, "alias": project.alias or None}
        if project.category:
            entry["category"] = project.category
        if project.starred:
            entry["starred"] = True
        entry["items"] = items
        projects.append(entry)
    return {
        "region": region_display_name(plan.region),
        "year": plan.year,
        "title": plan.title,
        "projects": projects,
    }


@transaction.atomic
def plan_export(*, acting_user: User | None, plan: Plan, fmt: str = "json") -> dict[str, Any]:
    """Export a plan (Plan JSON), recording who took it."""
    if fmt != "json":
        raise ValidationFailed(f"Unknown export format {fmt!r}.", field="format")
    data = plan_export_json(plan)
    audit_record(actor=acting_user, action=Action.EXPORT, obj=plan, plan=plan, after={"format": fmt})
    return data
