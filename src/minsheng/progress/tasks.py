"""Background work of progress (django-tasks): a photo's clean copy and thumbnail.

Immediate backend (tests, demo): made during the upload. With `TASKS_BACKEND=database` the upload
answers at once, the report page shows "being prepared…", and `minsheng db_worker` makes the copies
(docs/scaling.md). A failure is recorded on the photo (shown with the error) and retried by sending the
same file again or with `minsheng evidence-copies`.
"""

from __future__ import annotations

from django_tasks import task

from minsheng.progress.services import evidence_copies_make


@task()
def evidence_copies(evidence_id: int) -> str:
    """Make the copies of one photo; returns its state."""
    evidence = evidence_copies_make(evidence_id=evidence_id)
    return "" if evidence is None else evidence.state
