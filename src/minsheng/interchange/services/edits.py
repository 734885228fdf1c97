"""Corrections in the import preview: the office fixes the parsed list before it is committed.

Each step is a pure function on the Plan JSON (`apply_edit`), so the same steps serve the preview page,
the plan page after commit and the tests. `import_batch_edit` stores the corrected JSON and the step in
the ImportBatch under a version number: the second of two concurrent saves gets a Conflict.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed, ValidationFailed
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_import
from minsheng.parsing.milestones import extract_milestones
from minsheng.parsing.targets import extract_targets
from minsheng.plans.choices import TargetOp

if TYPE_CHECKING:
    from minsheng.accounts.models import User

Edit = Callable[[dict[str, Any], dict[str, str]], str]


class EditRefused(ValidationFailed):
    """A correction that would leave the list invalid; `place` is the outline place it concerns
    (`p3` for the fourth project, `p3-i1` for its second item), so the page shows it there."""

    def __init__(self, message: str, *, place: str = "") -> None:
        self.place = place
        super().__init__(message, field=place or None)


# --- addressing --------------------------------------------------------------------------------


def _index(args: dict[str, str], key: str, size: int, place: str) -> int:
    try:
        index = int(args.get(key, ""))
    except ValueError:
        raise EditRefused(_("Choose an entry."), place=place) from None
    if not 0 <= index < size:
        raise EditRefused(_("That entry is no longer there; reload the page."), place=place)
    return index


def _project(plan: dict[str, Any], args: dict[str, str]) -> tuple[int, dict[str, Any]]:
    p = _index(args, "p", len(plan["projects"]), "")
    return p, plan["projects"][p]


def _item(plan: dict[str, Any], args: dict[str, str]) -> tuple[int, dict[str, Any], int, dict[str, Any]]:
    p, project = _project(plan, args)
    i = _index(args, "i", len(project["items"]), f"p{p}")
    return p, project, i, project["items"][i]


def _text(args: dict[str, str], key: str) -> str:
    return (args.get(key) or "").strip()


def _names(text: str) -> list[str]:
    """Unit names one per line or separated by 、，,；; (as the list writes them), each once."""
    out: list[str] = []
    for chunk in (
        text.replace("\r", "\n").replace("，", "、").replace(",", "、").replace("；", "、").split("\n")
    ):
        for name in chunk.replace(";", "、").split("、"):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return out


def _new_item(text: str) -> dict[str, Any]:
    return {"text": text, "lead_units": [], "partner_units": [], "targets": [], "milestones": []}


def _new_project(name: str, category: str | None, items: list[dict[str, Any]]) -> dict[str, Any]:
    project: dict[str, Any] = {"no": 0, "name": name, "alias": None, "items": items}
    if category:
        project["category"] = category
    return project


def _numbered_in_order(plan: dict[str, Any]) -> bool:
    return [p["no"] for p in plan["projects"]] == list(range(1, len(plan["projects"]) + 1))


def _restructure(plan: dict[str, Any], change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Change the project list; projects numbered 1…n stay numbered 1…n, new ones get the next free number."""
    sequential = _numbered_in_order(plan)
    change(plan["projects"])
    if sequential:
        for no, project in enumerate(plan["projects"], start=1):
            project["no"] = no
        return
    used = {p["no"] for p in plan["projects"] if p["no"]}
    for project in plan["projects"]:
        if not project["no"]:
            project["no"] = max(used, default=0) + 1
            used.add(project["no"])


# --- the steps ---------------------------------------------------------------------------------


def project_edit(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Correct a project's number, name, alias or category."""
    p, project = _project(plan, args)
    name = _text(args, "name")
    if not name:
        raise EditRefused(_("A project needs a name."), place=f"p{p}")
    no_text = _text(args, "no") or str(project["no"])
    if not no_text.isdigit():
        raise EditRefused(_("The project number must be a whole number."), place=f"p{p}")
    no = int(no_text)
    if any(other["no"] == no for k, other in enumerate(plan["projects"]) if k != p):
        raise EditRefused(_("Another project already has the number %(no)s.") % {"no": no}, place=f"p{p}")
    project.update(no=no, name=name, alias=_text(args, "alias") or None)
    category = _text(args, "category")
    if category:
        project["category"] = category
    else:
        project.pop("category", None)
    return _("Project %(no)s corrected") % {"no": no}


def project_to_category(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Read a project as a category heading: its name becomes the category of the projects that follow
    (and of its items, which become projects of their own)."""
    p, project = _project(plan, args)
    name = project["name"]
    following = plan["projects"][p + 1 :]
    run_category = following[0].get("category") if following else None

    def change(projects: list[dict[str, Any]]) -> None:
        made = [_new_project(item["text"], name, [item]) for item in project["items"]]
        projects[p : p + 1] = made
        for other in projects[p + len(made) :]:
            if other.get("category") != run_category:
                break
            other["category"] = name

    if not project["items"] and not following:
        raise EditRefused(_("Nothing follows this heading to put under it."), place=f"p{p}")
    _restructure(plan, change)
    return _("%(name)s read as a category") % {"name": name}


def category_to_project(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Read a category as one project: the projects under it become its items."""
    p, project = _project(plan, args)
    category = project.get("category")
    if not category:
        raise EditRefused(_("This project has no category to read as a project."), place=f"p{p}")
    start = p
    while start > 0 and plan["projects"][start - 1].get("category") == category:
        start -= 1
    end = p
    while end + 1 < len(plan["projects"]) and plan["projects"][end + 1].get("category") == category:
        end += 1

    def change(projects: list[dict[str, Any]]) -> None:
        items: list[dict[str, Any]] = []
        for member in projects[start : end + 1]:
            items.extend(_items_keeping_name(member, plan.get("not_targets", [])))
        projects[start : end + 1] = [_new_project(category, None, items)]

    _restructure(plan, change)
    return _("Category %(name)s read as a project") % {"name": category}


def _items_keeping_name(project: dict[str, Any], not_targets: list[str]) -> list[dict[str, Any]]:
    """A project read as items: a name that is the start of the text (not repeated in it) goes back in."""
    if not project["items"]:
        return [_new_item(project["name"])]
    items = project["items"]
    first = items[0]
    name = project["name"].strip()
    if name and name not in first["text"]:
        joiner = "" if name[-1] in "。；;，,：:" else "。"
        first["text"] = name + joiner + first["text"]
        first["targets"], first["milestones"] = propose(first["text"], not_targets)
    return items


def items_to_projects(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Read each item of a project as a project of its own."""
    p, project = _project(plan, args)

    def change(projects: list[dict[str, Any]]) -> None:
        projects[p : p + 1] = [
            _new_project(item["text"], project.get("category"), [item]) for item in project["items"]
        ]

    _restructure(plan, change)
    return _("The items of %(name)s read as projects") % {"name": project["name"]}


def project_merge_next(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Merge the next project into this one (its items follow this project's)."""
    p, project = _project(plan, args)
    if p + 1 >= len(plan["projects"]):
        raise EditRefused(_("There is no next project to merge."), place=f"p{p}")
    other = plan["projects"][p + 1]

    def change(projects: list[dict[str, Any]]) -> None:
        project["items"].extend(other["items"] or [_new_item(other["name"])])
        del projects[p + 1]

    _restructure(plan, change)
    return _("%(other)s merged into %(name)s") % {"other": other["name"], "name": project["name"]}


def project_split(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Split a project before one of its items: that item and those after it become a new project."""
    p, project, i, _ignored = _item(plan, args)
    name = _text(args, "name")
    if not name:
        raise EditRefused(_("Give the name of the new project."), place=f"p{p}-i{i}")
    if i == 0:
        raise EditRefused(
            _("Split before the second item or later: the project keeps at least one."), place=f"p{p}-i{i}"
        )

    def change(projects: list[dict[str, Any]]) -> None:
        moved = project["items"][i:]
        del project["items"][i:]
        projects.insert(p + 1, _new_project(name, project.get("category"), moved))

    _restructure(plan, change)
    return _("%(name)s split off as a new project") % {"name": name}


def item_merge_next(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Join the next item of the project to this one (text, units, targets and milestones)."""
    p, project, i, item = _item(plan, args)
    if i + 1 >= len(project["items"]):
        raise EditRefused(_("There is no next item in this project to merge."), place=f"p{p}-i{i}")
    other = project["items"].pop(i + 1)
    item["text"] = item["text"] + other["text"]
    for key in ("lead_units", "partner_units"):
        item[key] = item.get(key, []) + [n for n in other.get(key, []) if n not in item.get(key, [])]
    for key in ("targets", "milestones"):
        item[key] = item.get(key, []) + other.get(key, [])
    return _("Two items of project %(no)s merged") % {"no": project["no"]}


def item_split(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Split an item where the given words begin; targets and milestones go with the part quoting them."""
    p, project, i, item = _item(plan, args)
    at = _text(args, "at")
    cut = item["text"].find(at) if at else -1
    if cut <= 0:
        raise EditRefused(
            _("Give the words where the second part begins, exactly as in the text (not its start)."),
            place=f"p{p}-i{i}",
        )
    first, second = item["text"][:cut].rstrip(), item["text"][cut:]
    new = _new_item(second)
    new["lead_units"] = list(item.get("lead_units", []))
    new["partner_units"] = list(item.get("partner_units", []))
    for key in ("targets", "milestones"):
        new[key] = [x for x in item.get(key, []) if x.get("quote") and x["quote"] in second]
        item[key] = [x for x in item.get(key, []) if x not in new[key]]
    item["text"] = first
    project["items"].insert(i + 1, new)
    return _("An item of project %(no)s split in two") % {"no": project["no"]}


def item_move(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Move an item to the end of another project."""
    p, project, i, item = _item(plan, args)
    to_text = _text(args, "to")
    target = next((q for q in plan["projects"] if str(q["no"]) == to_text), None)
    if target is None:
        raise EditRefused(_("There is no project numbered %(no)s.") % {"no": to_text}, place=f"p{p}-i{i}")
    if target is project:
        raise EditRefused(_("The item is already in that project."), place=f"p{p}-i{i}")
    project["items"].pop(i)
    target["items"].append(item)
    return _("Item moved to project %(no)s") % {"no": target["no"]}


def item_delete(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Remove an item the parser invented (a heading, a note)."""
    _p, project, i, _ignored = _item(plan, args)
    project["items"].pop(i)
    return _("An item of project %(no)s removed") % {"no": project["no"]}


def project_delete(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Remove a project the parser invented (with its items)."""
    p, project = _project(plan, args)

    def change(projects: list[dict[str, Any]]) -> None:
        del projects[p]

    _restructure(plan, change)
    return _("Project %(name)s removed") % {"name": project["name"]}


def propose(text: str, not_targets: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The targets and milestones the parser reads in `text`, without numbers marked as not targets."""
    targets = [t.to_dict() for t in extract_targets(text).targets if t.quote not in not_targets]
    milestones = [m.to_dict() for m in extract_milestones(text)]
    return targets, milestones


def item_edit(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Correct an item's text; its targets and milestones are proposed again from the new text."""
    p, project, i, item = _item(plan, args)
    text = _text(args, "text")
    if not text:
        raise EditRefused(_("An item needs its text."), place=f"p{p}-i{i}")
    if text != item["text"]:
        item["text"] = text
        item["targets"], item["milestones"] = propose(text, plan.get("not_targets", []))
    return _("Item text of project %(no)s corrected; targets proposed again") % {"no": project["no"]}


def item_units(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Set an item's lead and partner units (names as written)."""
    _p, project, _i, item = _item(plan, args)
    item["lead_units"] = _names(args.get("lead_units", ""))
    item["partner_units"] = _names(args.get("partner_units", ""))
    return _("Units of an item of project %(no)s corrected") % {"no": project["no"]}


def _number(args: dict[str, str], key: str, place: str, *, required: bool) -> int | float | None:
    text = _text(args, key)
    if not text:
        if required:
            raise EditRefused(_("A target needs its value."), place=place)
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise EditRefused(_("%(value)s is not a number.") % {"value": text}, place=place) from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 16:
        raise EditRefused(_("%(value)s is out of range.") % {"value": text}, place=place)
    return int(value) if value == value.to_integral_value() else float(value)


def target_add(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Add a target the parser missed."""
    p, _project, i, item = _item(plan, args)
    place = f"p{p}-i{i}"
    value = _number(args, "value", place, required=True)
    op = _text(args, "cmp") or "="
    if op not in TargetOp.values:
        raise EditRefused(_("Choose a comparison."), place=place)
    quote = _text(args, "quote") or f"{value}{_text(args, 'unit')}"
    target: dict[str, Any] = {"quote": quote, "value": value, "unit": _text(args, "unit"), "op": op}
    range_max = _number(args, "range_max", place, required=False)
    if range_max is not None:
        if value is not None and range_max < value:
            raise EditRefused(_("The range ends below its start."), place=place)
        target["range_max"] = range_max
    item.setdefault("targets", []).append(target)
    return _("Target %(quote)s added") % {"quote": quote}


def _child(item: dict[str, Any], key: str, args: dict[str, str], arg: str, place: str) -> int:
    return _index(args, arg, len(item.get(key, [])), place)


def target_delete(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Remove a target the parser read by mistake."""
    p, _project, i, item = _item(plan, args)
    t = _child(item, "targets", args, "t", f"p{p}-i{i}")
    removed = item["targets"].pop(t)
    return _("Target %(quote)s removed") % {"quote": removed["quote"]}


def target_not(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Mark a number as not a target: removed, and not proposed again when the text is edited."""
    p, _project, i, item = _item(plan, args)
    t = _child(item, "targets", args, "t", f"p{p}-i{i}")
    removed = item["targets"].pop(t)
    marks = plan.setdefault("not_targets", [])
    if removed["quote"] not in marks:
        marks.append(removed["quote"])
    return _("%(quote)s marked as not a target") % {"quote": removed["quote"]}


def milestone_add(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Add a milestone the parser missed (a named work and the state it must reach)."""
    p, _project, i, item = _item(plan, args)
    subject, state = _text(args, "subject"), _text(args, "state")
    if not subject or not state:
        raise EditRefused(_("A milestone needs the work and the state it must reach."), place=f"p{p}-i{i}")
    quote = _text(args, "quote") or subject + state
    item.setdefault("milestones", []).append({"quote": quote, "subject": subject, "state": state})
    return _("Milestone %(subject)s added") % {"subject": subject}


def milestone_delete(plan: dict[str, Any], args: dict[str, str]) -> str:
    """Remove a milestone the parser read by mistake."""
    p, _project, i, item = _item(plan, args)
    m = _child(item, "milestones", args, "m", f"p{p}-i{i}")
    removed = item["milestones"].pop(m)
    return _("Milestone %(subject)s removed") % {"subject": removed["subject"]}


EDITS: dict[str, Edit] = {
    "project_edit": project_edit,
    "project_to_category": project_to_category,
    "category_to_project": category_to_project,
    "items_to_projects": items_to_projects,
    "project_merge_next": project_merge_next,
    "project_split": project_split,
    "project_delete": project_delete,
    "item_merge_next": item_merge_next,
    "item_split": item_split,
    "item_move": item_move,
    "item_delete": item_delete,
    "item_edit": item_edit,
    "item_units": item_units,
    "target_add": target_add,
    "target_delete": target_delete,
    "target_not": target_not,
    "milestone_add": milestone_add,
    "milestone_delete": milestone_delete,
}


def check_outline(plan: dict[str, Any]) -> None:
    """Refuse a list that a step left invalid: a project without items, a duplicate project number."""
    seen: dict[int, int] = {}
    for p, project in enumerate(plan["projects"]):
        if not project["items"]:
            raise EditRefused(
                _("Project %(no)s would have no items; move or merge them another way.")
                % {"no": project["no"]},
                place=f"p{p}",
            )
        if project["no"] in seen:
            raise EditRefused(
                _("Two projects would have the number %(no)s.") % {"no": project["no"]}, place=f"p{p}"
            )
        seen[project["no"]] = p
        for i, item in enumerate(project["items"]):
            for target in item.get("targets", []):
                if target.get("value") is None:
                    raise EditRefused(_("A target needs its value."), place=f"p{p}-i{i}")


def apply_edit(plan: dict[str, Any], op: str, args: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Apply one correction to a copy of `plan`; returns the new Plan JSON and a one-line summary.

    Raises EditRefused (with the place) and leaves `plan` untouched when the step is invalid."""
    step = EDITS.get(op)
    if step is None:
        raise EditRefused(_("Unknown correction."))
    new = copy.deepcopy(plan)
    new.setdefault("projects", [])
    summary = step(new, args)
    check_outline(new)
    return new, summary


# --- counting corrections ----------------------------------------------------------------------


def _changed(before: list[Any], after: list[Any]) -> int:
    """How many entries differ between two lists (a rename counts once, an addition or removal once)."""
    rest = list(after)
    missing = 0
    for entry in before:
        if entry in rest:
            rest.remove(entry)
        else:
            missing += 1
    return max(missing, len(rest))


def corrections_count(parsed: dict[str, Any], final: dict[str, Any]) -> dict[str, int]:
    """How many parsed values the office corrected: projects, items, units and targets.

    Projects and items: entries not left as read (a rename, an addition or a removal counts once; a
    merge or split counts its items). Units: names changed on items that kept their text (more or
    less). Targets: values (value, unit, comparison, range) added or removed over the whole list, so
    moving an item with its targets counts nothing.
    """

    def project_key(p: dict[str, Any]) -> tuple[Any, ...]:
        return (p["no"], p["name"], p.get("alias") or "", p.get("category") or "")

    def items(plan: dict[str, Any]) -> list[dict[str, Any]]:
        return [i for p in plan.get("projects", []) for i in p["items"]]

    def target_key(t: dict[str, Any]) -> tuple[Any, ...]:
        return (t.get("value"), t.get("unit"), t.get("op"), t.get("range_max"))

    def similarity(a: dict[str, Any], b: dict[str, Any]) -> float:
        return difflib.SequenceMatcher(None, a["text"], b["text"], autojunk=False).ratio()

    before_items, after_items = items(parsed), items(final)
    units = 0
    rest = list(after_items)
    for old in before_items:
        best = max(rest, key=lambda new: similarity(old, new), default=None)
        if best is None or similarity(old, best) < 0.5:
            continue  # merged, split or removed: counted among the items
        rest.remove(best)
        for key in ("lead_units", "partner_units"):
            units += _changed(old.get(key, []), best.get(key, []))
    return {
        "projects": _changed(
            [project_key(p) for p in parsed.get("projects", [])],
            [project_key(p) for p in final.get("projects", [])],
        ),
        "items": _changed([i["text"] for i in before_items], [i["text"] for i in after_items]),
        "units": units,
        "targets": _changed(
            [target_key(t) for i in before_items for t in i.get("targets", [])],
            [target_key(t) for i in after_items for t in i.get("targets", [])],
        ),
    }


# --- the service -------------------------------------------------------------------------------


def _locked_open_batch(acting_user: User | None, batch: ImportBatch, version: int) -> ImportBatch:
    if acting_user is not None and not can_import(acting_user, batch.region):
        raise NotAllowed(_("Only the supervision office may correct lists for this region."))
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status == BatchStatus.COMMITTED:
        raise Conflict(_("This upload has been imported already; correct the plan on its page."))
    if locked.version != version:
        raise Conflict(
            _(
                "Someone else saved a correction to this preview meanwhile; your change was not applied. The page now shows their version."
            )
        )
    return locked


def _save_step(
    acting_user: User | None, batch: ImportBatch, new: dict[str, Any], entry: dict[str, Any]
) -> ImportBatch:
    before_version = batch.version
    batch.edited = new
    batch.version = before_version + 1
    batch.edit_log = [
        *batch.edit_log,
        {
            **entry,
            "version": batch.version,
            "by": acting_user.get_username() if acting_user else "system",
            "at": timezone.now().isoformat(),
        },
    ]
    batch.save(update_fields=["edited", "version", "edit_log"])
    audit_record(
        actor=acting_user,
        action=Action.UPDATE,
        obj=batch,
        before={"version": before_version},
        after={"version": batch.version, "step": entry["op"], "summary": entry["summary"]},
        message="import preview corrected",
    )
    return batch


@transaction.atomic
def import_batch_edit(
    *, acting_user: User | None, batch: ImportBatch, version: int, op: str, args: dict[str, str]
) -> ImportBatch:
    """Apply one correction to an uploaded list's preview and keep it (with the step) in the batch.

    Raises Conflict when the batch changed since `version` was read (or is committed), EditRefused for
    a step that would leave the list invalid, NotAllowed for a user outside the batch's region.
    """
    locked = _locked_open_batch(acting_user, batch, version)
    new, summary = apply_edit(locked.working, op, args)
    clean_args = {k: v for k, v in args.items() if isinstance(v, str)}
    return _save_step(acting_user, locked, new, {"op": op, "args": clean_args, "summary": summary})


@transaction.atomic
def import_batch_replace(
    *, acting_user: User | None, batch: ImportBatch, version: int, plan: dict[str, Any], source_name: str
) -> ImportBatch:
    """Replace the preview's list by one the office corrected outside (the Excel round trip).

    Items whose text did not change keep the targets and milestones corrected in the preview."""
    locked = _locked_open_batch(acting_user, batch, version)
    current = locked.working
    kept = {i["text"]: i for p in current.get("projects", []) for i in p["items"]}
    new = copy.deepcopy(plan)
    new["not_targets"] = list(current.get("not_targets", []))
    for project in new.get("projects", []):
        for item in project["items"]:
            same = kept.get(item["text"])
            if same is not None:
                item["targets"] = copy.deepcopy(same.get("targets", []))
                item["milestones"] = copy.deepcopy(same.get("milestones", []))
            else:
                item["targets"] = [t for t in item.get("targets", []) if t["quote"] not in new["not_targets"]]
    for key in ("region", "year", "title"):
        new[key] = current.get(key)
    check_outline(new)
    return _save_step(
        acting_user,
        locked,
        new,
        {
            "op": "replace",
            "args": {"file": source_name},
            "summary": _("Replaced by the corrected file %(name)s") % {"name": source_name},
        },
    )
