"""Plain-text rendering of an import preview, for the command line."""

from __future__ import annotations

from minsheng.interchange.services import ImportPreview

_KINDS = ("project", "item", "target", "milestone")


def preview_lines(preview: ImportPreview, *, verbose: bool = False) -> list[str]:
    """Lines describing what an import does: counts, units, warnings, errors, changes."""
    c = preview.counts
    lines = [
        f"Plan: {preview.title} ({preview.region_name}, {preview.year})",
        "  " + ("new plan" if preview.is_new_plan else f"updates plan #{preview.existing_plan_id}"),
        f"  {c['projects']} projects, {c['items']} items, {c['targets']} targets, {c['milestones']} milestones",
        f"  units: {len(preview.units_matched)} matched, {len(preview.units_new)} to create",
    ]
    for u in preview.units:
        if u.via == "alias":
            lines.append(f"    = {u.written_as} → {u.unit_name} (alias)")
        elif u.unit_id is None:
            kind = "group of towns/streets" if u.via == "group" else u.kind
            lines.append(f"    + {u.written_as} (new, {kind})")
        elif verbose:
            lines.append(f"    = {u.written_as}")
    if preview.is_unchanged:
        lines.append("  no changes: the plan already matches this list")
    elif not preview.is_new_plan:
        summary = []
        for action in ("added", "removed", "modified"):
            for kind in _KINDS:
                n = len(preview.changes_of(action, kind))
                if n:
                    summary.append(f"{n} {kind}(s) {action}")
        lines.append("  changes: " + ", ".join(summary))
        for change in preview.changes:
            lines.append(f"    {change.action:8} {change.where}")
    for conflict in preview.conflicts:
        kept = "hand edit" if conflict.choice == "hand" else "file"
        lines.append(
            f"  conflict: {conflict.where} {conflict.field}: hand {conflict.hand!r}, file {conflict.file!r} "
            f"(keeps the {kept})"
        )
    for warning in preview.warnings:
        lines.append(f"  warning: {warning}")
    for error in preview.errors:
        lines.append(f"  error: {error}")
    return lines
