"""Write progress data. Every function is keyword-only, takes `acting_user`, runs in one transaction,
checks `progress.policies`, writes an audit row and — for reports — a `ReportRevision` (before → after).

Interface for the API, demo and dashboard (names are stable):

- `reporting_settings(plan) -> ReportingSettings` (unsaved defaults when none) ·
  `reporting_settings_update(*, acting_user, plan, **fields)`
- `periods_generate(*, acting_user, plan) -> list[Period]` — idempotent; monthly or quarterly periods of
  the plan year, deadline = settings.deadline_day of the period's last month.
- `report_save(*, acting_user, item, period, expected_version=None, target_values=None,
  milestone_states=None, progress=None, problems=None, next_steps=None) -> ProgressReport` — creates or
  updates the draft (or returned) report; `target_values` maps target (or id) → cumulative value,
  `milestone_states` maps milestone (or id) → state or (state, done_on). A stale `expected_version` raises
  `ConflictError`.
- `report_copy_previous(*, acting_user, item, period, expected_version=None)`
- `report_submit(*, acting_user, report, expected_version=None)` · `report_approve(*, acting_user, report,
  comment="")` · `report_return(*, acting_user, report, comment)` — illegal transitions raise
  `TransitionError`; missing rights raise `core.exceptions.NotAllowed`.
- `partner_contribution_save(*, acting_user, item, period, text)`
- `evidence_add(*, acting_user, report, upload, caption="") -> Evidence` (see `progress.evidence`)
- `reports_touch(report_ids)` — renews the reports' `updated_at` (no new version) in the caller's
  transaction: every write that changes what a review queue card shows without a new version calls it
  (photo copies and checks, values per site).
- `extension_request(*, acting_user, target, requested_due_date, reason)` ·
  `extension_decide(*, acting_user, request, approve, comment="")`
- `item_end(*, acting_user, item, kind, reason="", ended_on=None)`
- Closing a period and freezing snapshots is `alerts.services.period_close` (it needs the lights).
- `sheet_*`: see `progress.sheets` (xlsx download/upload).

One module per topic: `common` (errors, history, the item as a write reads it), `periods`, `reports`,
`decisions` (approve, return), `items` (extensions, endings, monthly plans), `uploads` (evidence).
"""

from __future__ import annotations

from minsheng.progress.services.common import (
    EDITABLE,
    SUBMITTED_OR_LATER,
    AlreadySubmitted,
    ConflictError,
    NeedsConfirmation,
    TransitionError,
    item_for_write,
    lead_unit,
    report_data,
    reports_touch,
)
from minsheng.progress.services.decisions import report_approve, report_return
from minsheng.progress.services.items import (
    extension_decide,
    extension_request,
    item_end,
    target_schedule_set,
)
from minsheng.progress.services.periods import (
    current_period,
    period_bounds,
    periods_generate,
    periods_on_publish,
    reporting_settings,
    reporting_settings_update,
)
from minsheng.progress.services.reports import (
    partner_contribution_save,
    previous_report,
    report_copy_previous,
    report_save,
    report_submit,
    value_warnings,
)
from minsheng.progress.services.uploads import evidence_add, evidence_copies_make

__all__ = [
    "EDITABLE",
    "SUBMITTED_OR_LATER",
    "AlreadySubmitted",
    "ConflictError",
    "NeedsConfirmation",
    "TransitionError",
    "current_period",
    "evidence_add",
    "evidence_copies_make",
    "extension_decide",
    "extension_request",
    "item_end",
    "item_for_write",
    "lead_unit",
    "partner_contribution_save",
    "period_bounds",
    "periods_generate",
    "periods_on_publish",
    "previous_report",
    "report_approve",
    "report_copy_previous",
    "report_data",
    "report_return",
    "report_save",
    "report_submit",
    "reporting_settings",
    "reporting_settings_update",
    "reports_touch",
    "target_schedule_set",
    "value_warnings",
]
