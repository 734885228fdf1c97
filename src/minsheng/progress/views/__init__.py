"""Progress pages: inbox, report form, timeline, review queue, overdue list, extensions, spreadsheet.

Permission checks are in `progress.policies`; writes go through `progress.services`. One module per
page family.
"""

from minsheng.progress.views.inbox import inbox
from minsheng.progress.views.periods import (
    extension_decide,
    extensions,
    overdue_list,
    period_close,
    periods_close_due,
    periods_generate,
    plan_settings,
)
from minsheng.progress.views.reports import contribution, evidence_file, item_end, report_form, timeline
from minsheng.progress.views.review import decide, review_queue
from minsheng.progress.views.sheets import sheet_download, sheet_upload

__all__ = [
    "contribution",
    "decide",
    "evidence_file",
    "extension_decide",
    "extensions",
    "inbox",
    "item_end",
    "overdue_list",
    "period_close",
    "periods_close_due",
    "periods_generate",
    "plan_settings",
    "report_form",
    "review_queue",
    "sheet_download",
    "sheet_upload",
    "timeline",
]
