"""Import a parsed list into a plan (preview, then commit in one transaction) and export it back.

Split by topic: `diff` (pair the list with the plan), `preview` (what an import would do), `commit`
(apply it), `batches` (the upload page's batches), `edits` (corrections in the preview), `merge` (keep
hand edits on re-import), `export` (Plan JSON out). The names below are the public API.
"""

from __future__ import annotations

from minsheng.interchange.services.batches import (
    import_batch_commit,
    import_batch_create,
    import_batch_preview,
    parse_source,
)
from minsheng.interchange.services.commit import ImportResult, plan_import
from minsheng.interchange.services.diff import Change, pair_up
from minsheng.interchange.services.export import plan_export, plan_export_json
from minsheng.interchange.services.preview import (
    ImportFailed,
    ImportPreview,
    default_title,
    plan_import_preview,
    validate_parsed,
)

__all__ = [
    "Change",
    "ImportFailed",
    "ImportPreview",
    "ImportResult",
    "default_title",
    "import_batch_commit",
    "import_batch_create",
    "import_batch_preview",
    "pair_up",
    "parse_source",
    "plan_export",
    "plan_export_json",
    "plan_import",
    "plan_import_preview",
    "validate_parsed",
]
