"""The preview as an Excel file in the official attachment layout (for correcting it in Excel or WPS),
and the existing units an unknown unit name may mean."""

from __future__ import annotations

from typing import Any

from minsheng.interchange.exporters.layout import HEADER, ItemRow, PlanSheet, ProjectBlock, project_name_cell
from minsheng.interchange.exporters.plan_xlsx import sheet_xlsx
from minsheng.interchange.models import ImportBatch
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import UnitMatch, units_closest_many


def json_sheet(plan: dict[str, Any], title: str) -> PlanSheet:
    """The attachment's rows from Plan JSON (the same layout the plan's own Excel export uses)."""
    extra_keys: list[str] = []
    std = {"text", "lead_units", "partner_units", "targets", "milestones", "location"}
    projects = []
    for project in plan.get("projects", []):
        rows = []
        for item in project["items"]:
            extra = {str(k): "" if v is None else str(v) for k, v in item.items() if k not in std}
            extra_keys.extend(k for k in extra if k not in extra_keys)
            rows.append(
                ItemRow(
                    text=item["text"],
                    lead_units=list(item.get("lead_units", [])),
                    partner_units=list(item.get("partner_units", [])),
                    extra=extra,
                )
            )
        projects.append(
            ProjectBlock(
                no=project["no"],
                name_cell=project_name_cell(
                    project["name"], project.get("alias") or "", project.get("starred", False)
                ),
                category=project.get("category") or "",
                items=rows,
            )
        )
    return PlanSheet(title=title, header=[*HEADER, *extra_keys], extra_keys=extra_keys, projects=projects)


def preview_xlsx(batch: ImportBatch) -> bytes:
    """The batch's list as corrected so far, as .xlsx in the official attachment layout."""
    return sheet_xlsx(json_sheet(batch.working, batch.title))


def unit_suggestions(region: Region, new_units: list[UnitMatch]) -> dict[str, list[tuple[int, str]]]:
    """For each unit name not known in the region: the closest existing units (id, name)."""
    names = [match.written_as for match in new_units if match.via == "new"]
    return {
        name: [(unit.pk, unit.name) for unit, _score in closest]
        for name, closest in units_closest_many(region, names).items()
    }
