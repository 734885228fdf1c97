"""Read import batches: the parser's accuracy in the product (how much the office corrected)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.orgs.selectors import user_region_ids

KINDS = ("projects", "items", "units", "targets")


def parsed_counts(plan: dict[str, Any]) -> dict[str, int]:
    """How many values of each kind the parser read (what the corrections are counted against)."""
    items = [i for p in plan.get("projects", []) for i in p.get("items", [])]
    return {
        "projects": len(plan.get("projects", [])),
        "items": len(items),
        "units": sum(len(i.get("lead_units", [])) + len(i.get("partner_units", [])) for i in items),
        "targets": sum(len(i.get("targets", [])) for i in items),
    }


@dataclass
class ParseReport:
    """Per committed upload and in total: values read by the parser and values the office corrected."""

    rows: list[tuple[ImportBatch, dict[str, int], dict[str, int]]] = field(default_factory=list)
    parsed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    corrected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def share_kept(self, kind: str) -> float | None:
        """The share of parsed values the office left as read (None when nothing was read)."""
        if not self.parsed[kind]:
            return None
        return max(0.0, 1 - self.corrected[kind] / self.parsed[kind])


def committed_uploads() -> QuerySet[ImportBatch]:
    """Committed uploads of files (not the plan re-opened for correction), oldest first."""
    return (
        ImportBatch.objects.filter(status=BatchStatus.COMMITTED)
        .exclude(parsed__has_key="from_plan")
        .select_related("region", "plan")
        .order_by("committed_at", "pk")
    )


def parse_report() -> ParseReport:
    """How many parsed values the office corrected before committing, over all imports."""
    report = ParseReport()
    for batch in committed_uploads():
        read = parsed_counts(batch.parsed or {})
        corrected = {kind: int((batch.corrections or {}).get(kind, 0)) for kind in KINDS}
        report.rows.append((batch, read, corrected))
        for kind in KINDS:
            report.parsed[kind] += read[kind]
            report.corrected[kind] += corrected[kind]
    return report


def import_history(user: Any) -> QuerySet[ImportBatch]:
    """The uploads of the user's region (and the regions under it), newest first, with what was corrected."""
    batches = ImportBatch.objects.select_related("plan", "region", "created_by").order_by(
        "-created_at", "-pk"
    )
    if user.region_id is not None:
        batches = batches.filter(region_id__in=user_region_ids(user))
    return batches
