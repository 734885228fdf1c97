"""The import preview: what importing a parsed list would create, match and change. Writes nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from minsheng.core.exceptions import ValidationFailed
from minsheng.interchange.services.diff import Change, _diff, _Work
from minsheng.interchange.services.export import plan_export_json
from minsheng.interchange.services.merge import MergeConflict, base_of, merge_hand_edits
from minsheng.interchange.services.warnings import parse_warning_text
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import UnitMatch, UnitResolver, region_display_name
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.choices import TargetOp
from minsheng.plans.models import ItemUnit, Milestone, Plan, Project, Target
from minsheng.plans.selectors import plan_detail
from minsheng.plans.services import clean_unit_names

_MAX_VALUE = Decimal(10) ** 16
_NOTICE_HEADING = re.compile(
    r"(公告|通知|决定|决议|通报)\s*[（(]\s*第?\s*[0-9一二三四五六七八九十]+\s*号\s*[)）]\s*$|会议公告|公告$"
)


class ImportFailed(ValidationFailed):
    """The list cannot be imported; `errors` says where and why. Nothing was changed."""

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        self.errors = errors or [message]
        super().__init__(message)


@dataclass
class ImportPreview:
    """What an import will do: counts, units to match or create, warnings, errors and changes."""

    region_id: int
    region_name: str
    year: int
    title: str
    existing_plan_id: int | None
    counts: dict[str, int]
    units: list[UnitMatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[MergeConflict] = field(default_factory=list)

    @property
    def units_new(self) -> list[UnitMatch]:
        return [u for u in self.units if u.unit_id is None]

    @property
    def units_matched(self) -> list[UnitMatch]:
        return [u for u in self.units if u.unit_id is not None]

    def changes_of(self, action: str, kind: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.action == action and (kind is None or c.kind == kind)]

    @property
    def added(self) -> list[Change]:
        return self.changes_of("added")

    @property
    def removed(self) -> list[Change]:
        return self.changes_of("removed")

    @property
    def modified(self) -> list[Change]:
        return self.changes_of("modified")

    @property
    def is_new_plan(self) -> bool:
        return self.existing_plan_id is None

    @property
    def is_unchanged(self) -> bool:
        """True when the plan exists and the list brings nothing new."""
        return self.existing_plan_id is not None and not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {
            "region_id": self.region_id,
            "region_name": self.region_name,
            "year": self.year,
            "title": self.title,
            "existing_plan_id": self.existing_plan_id,
            "counts": dict(self.counts),
            "units": [u.to_dict() for u in self.units],
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "changes": [c.to_dict() for c in self.changes],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


# --- validation -------------------------------------------------------------------------------


def _limit(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined,no-any-return]


def validate_parsed(parsed: ParsedPlan) -> list[str]:
    """Problems that stop an import, each saying where (project, item, target) and what."""
    errors: list[str] = []
    if not parsed.projects:
        errors.append(_("The list has no projects."))
    seen_no: set[int] = set()
    for p in parsed.projects:
        where_p = _("project %(no)s") % {"no": p.no}
        if p.no in seen_no:
            errors.append(_("%(where)s: the number %(no)s is used twice.") % {"where": where_p, "no": p.no})
        seen_no.add(p.no)
        if p.no < 0:
            errors.append(_("%(where)s: the number cannot be negative.") % {"where": where_p})
        if not p.name.strip():
            errors.append(_("%(where)s: the project has no name.") % {"where": where_p})
        _check_len(errors, where_p, "name", p.name, _limit(Project, "name"))
        _check_len(errors, where_p, "alias", p.alias or "", _limit(Project, "alias"))
        _check_len(errors, where_p, "category", p.category or "", _limit(Project, "category"))
        for i_pos, item in enumerate(p.items, start=1):
            where_i = _("%(where)s, item %(no)s") % {"where": where_p, "no": i_pos} + (
                f" ({item.location})" if item.location else ""
            )
            if not item.text.strip():
                errors.append(_("%(where)s: the item has no text.") % {"where": where_i})
            for name in [*item.lead_units, *item.partner_units]:
                _check_len(errors, where_i, "unit", name, _limit(ItemUnit, "written_as"))
            try:
                json.dumps(item.extra)
            except (TypeError, ValueError):
                errors.append(_("%(where)s: extra columns cannot be stored.") % {"where": where_i})
            for t_pos, t in enumerate(item.targets, start=1):
                where_t = _("%(where)s, target %(no)s (%(quote)s)") % {
                    "where": where_i,
                    "no": t_pos,
                    "quote": t.quote,
                }
                if t.op not in TargetOp.values:
                    errors.append(_("%(where)s: unknown comparison %(op)s.") % {"where": where_t, "op": t.op})
                for label, number in (
                    ("value", t.value),
                    ("baseline", t.baseline),
                    ("range_max", t.range_max),
                ):
                    if number is not None and (
                        not Decimal(number).is_finite() or abs(Decimal(number)) >= _MAX_VALUE
                    ):
                        errors.append(
                            _("%(where)s: %(label)s %(number)s is out of range.")
                            % {"where": where_t, "label": label, "number": number}
                        )
                if t.range_max is not None and Decimal(t.range_max) < Decimal(t.value):
                    errors.append(_("%(where)s: the range ends below its start.") % {"where": where_t})
                _check_len(errors, where_t, "unit", t.unit, _limit(Target, "unit"))
            for m_pos, m in enumerate(item.milestones, start=1):
                where_m = _("%(where)s, milestone %(no)s") % {"where": where_i, "no": m_pos}
                _check_len(errors, where_m, "subject", m.subject, _limit(Milestone, "subject"))
                _check_len(errors, where_m, "state", m.state, _limit(Milestone, "state"))
    return errors


def _check_len(errors: list[str], where: str, label: str, text: str, limit: int) -> None:
    if len(text) > limit:
        errors.append(
            _("%(where)s: %(label)s is longer than %(limit)s characters (%(text)s…).")
            % {"where": where, "label": label, "limit": limit, "text": text[:30]}
        )


# --- preview ----------------------------------------------------------------------------------


def default_title(*, parsed: ParsedPlan, region: Region, year: int) -> str:
    """The list's own title, else '<year>年<region>民生实事项目清单'."""
    title = (parsed.title or "").strip()
    if _NOTICE_HEADING.search(title):
        # A notice's heading (…第四次会议公告(第4号)) is not the list's title; until the parser reads the
        # list's own title line, propose the usual one.
        title = ""
    return title or f"{year}年{region_display_name(region)}民生实事项目清单"


def _resolve_year(parsed: ParsedPlan, year: int | None) -> int:
    year = year or parsed.year
    if not year:
        raise ImportFailed(_("The list does not say its year; give the year."))
    if not 1949 <= int(year) <= 2200:
        raise ImportFailed(_("%(year)s is not a plausible plan year.") % {"year": year})
    return int(year)


def _existing_plan(region: Region, year: int, title: str) -> Plan | None:
    pk = Plan.objects.filter(region=region, year=year, title=title).values_list("pk", flat=True).first()
    return plan_detail(pk) if pk is not None else None


def _unit_matches(parsed: ParsedPlan, resolver: UnitResolver) -> list[UnitMatch]:
    seen: dict[str, UnitMatch] = {}
    for p in parsed.projects:
        for item in p.items:
            for name in clean_unit_names([*item.lead_units, *item.partner_units]):
                if name not in seen:
                    seen[name] = resolver.resolve(name)
    return list(seen.values())


def _with_hand_edits(
    parsed: ParsedPlan, existing: Plan | None, resolutions: dict[str, str] | None
) -> tuple[ParsedPlan, list[MergeConflict]]:
    """On a re-import, the new list with the office's hand edits to the plan kept (three-way merge)."""
    base = base_of(existing) if existing is not None else None
    if existing is None or base is None:
        return parsed, []
    projects, conflicts = merge_hand_edits(
        base=base, hand=plan_export_json(existing), file=parsed.to_dict(), resolutions=resolutions
    )
    merged = ParsedPlan.from_dict({**parsed.to_dict(), "projects": projects})
    merged.truncated = parsed.truncated
    return merged, conflicts


def _preview(
    parsed: ParsedPlan,
    region: Region,
    year: int,
    title: str,
    resolutions: dict[str, str] | None = None,
    keep_hand_edits: bool = True,
) -> tuple[ImportPreview, _Work, Plan | None, UnitResolver, ParsedPlan]:
    existing = _existing_plan(region, year, title)
    resolver = UnitResolver(region)
    conflicts: list[MergeConflict] = []
    if keep_hand_edits:
        parsed, conflicts = _with_hand_edits(parsed, existing, resolutions)
    work = _diff(parsed, existing)
    counts = {
        "projects": len(parsed.projects),
        "items": sum(len(p.items) for p in parsed.projects),
        "targets": sum(len(i.targets) for p in parsed.projects for i in p.items),
        "milestones": sum(len(i.milestones) for p in parsed.projects for i in p.items),
    }
    warnings = [parse_warning_text(w.code, w.location, w.message) for w in parsed.warnings]
    if parsed.truncated:
        warnings.append(_("The file was cut short while reading; check that every project is there."))
    if (
        parsed.region
        and region_display_name(region) not in parsed.region
        and region.name not in parsed.region
    ):
        warnings.append(
            _("The list names the region %(named)s, but it is imported into %(region)s.")
            % {"named": parsed.region, "region": region.name}
        )
    if parsed.year and parsed.year != year:
        warnings.append(
            _("The list says %(said)s, but it is imported as %(year)s.") % {"said": parsed.year, "year": year}
        )
    for p in parsed.projects:
        for i_pos, item in enumerate(p.items, start=1):
            if not clean_unit_names(item.lead_units):
                warnings.append(
                    _("project %(no)s, item %(item)s: no lead unit.") % {"no": p.no, "item": i_pos}
                )
    warnings.extend(_loss_warnings(work))
    preview = ImportPreview(
        region_id=region.pk,
        region_name=region.name,
        year=year,
        title=title,
        existing_plan_id=existing.pk if existing is not None else None,
        counts=counts,
        units=_unit_matches(parsed, resolver),
        warnings=warnings,
        errors=validate_parsed(parsed),
        changes=work.changes,
        conflicts=conflicts,
    )
    return preview, work, existing, resolver, parsed


def _recorded_against(objs: Sequence[Any]) -> dict[str, int]:
    """How many rows of other apps (progress reports, notices, …) point at these plan rows."""
    if not objs:
        return {}
    counts: dict[str, int] = {}
    for rel in type(objs[0])._meta.related_objects:
        related = rel.related_model
        if related._meta.app_label == Plan._meta.app_label:
            continue  # the plan's own parts go with it
        n = related._base_manager.filter(**{f"{rel.field.name}__in": list(objs)}).count()
        if n:
            counts[str(related._meta.verbose_name_plural)] = n
    return counts


def _loss_warnings(work: _Work) -> list[str]:
    """Warn when the edited list removes rows that progress or supervision has been recorded against."""
    removed: list[tuple[str, list[Any], list[Any]]] = []
    for project in work.removed_projects:
        items = list(project.items.all())
        removed.append(
            (_("project %(no)s") % {"no": project.no}, items, [t for i in items for t in i.targets.all()])
        )
    for pw in work.projects:
        for item in pw.removed_items:
            removed.append(
                (
                    _("project %(no)s, item %(item)s") % {"no": pw.parsed.no, "item": item.position},
                    [item],
                    list(item.targets.all()),
                )
            )
        for iw in pw.items:
            if iw.removed_targets:
                removed.append(
                    (
                        _("project %(no)s, item %(item)s") % {"no": pw.parsed.no, "item": iw.position},
                        [],
                        iw.removed_targets,
                    )
                )
    warnings = []
    for where, items, targets in removed:
        counts = _recorded_against(items)
        for name, n in _recorded_against(targets).items():
            counts[name] = counts.get(name, 0) + n
        if counts:
            lost = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            warnings.append(
                _("%(where)s: removing it also deletes what was recorded against it (%(lost)s).")
                % {"where": where, "lost": lost}
            )
    return warnings


def plan_import_preview(
    *,
    parsed: ParsedPlan,
    region: Region,
    year: int | None,
    title: str | None = None,
    resolutions: dict[str, str] | None = None,
    keep_hand_edits: bool = True,
) -> ImportPreview:
    """What importing `parsed` into `region`/`year` would create, match and change. Writes nothing."""
    year = _resolve_year(parsed, year)
    title = (title or "").strip() or default_title(parsed=parsed, region=region, year=year)
    return _preview(parsed, region, year, title, resolutions, keep_hand_edits)[0]
