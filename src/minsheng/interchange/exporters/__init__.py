"""Documents out: the plan as .xlsx/.docx in the official attachment layout, the progress table and open
data. Each writer takes a plan and returns bytes; `services.plan_document` runs one and records the
export in the audit trail."""

from __future__ import annotations
