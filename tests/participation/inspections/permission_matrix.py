"""Permission-matrix rows for the deputies' inspection and question pages (collected by
tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.participation.inspections import services
from progress.factories import jpeg_with_gps
from test_permission_matrix import Case, expect

READERS = expect(302, 200, 200, 200, 404, 200, 200)  # the region's readers and the item's lead unit
OFFICE_ONLY = expect(302, 302, 403, 403, 404, 403, 403)
DEPUTY_FORM = expect(302, 403, 403, 403, 404, 403, 200)


def extend(scenario: Any) -> None:
    """An internal inspection of the scenario's item with a photo, and a question to its lead unit."""
    w = scenario.world
    photo = SimpleUploadedFile("visit.jpg", jpeg_with_gps(), content_type="image/jpeg")
    scenario.inspection = services.inspection_record(
        acting_user=w.deputy,
        plan=w.plan,
        visited_on=timezone.localdate(),
        items=[w.item],
        findings="现场施工有序",
        photos=[photo],
    )
    scenario.inspection_photo = scenario.inspection.photos.get()
    scenario.question = services.question_ask(
        acting_user=w.deputy, item=w.item, unit=w.lead, text="何时完工？"
    )


def _pk(attr: str) -> Any:
    return lambda s: {"pk": getattr(s, attr).pk}


MATRIX: list[Case] = [
    Case("inspections:index", "GET", expect(302, 200, 403, 403, 403, 403, 200)),
    Case("inspections:inspection_new", "GET", DEPUTY_FORM, kwargs=lambda s: {"plan_id": s.world.plan.pk}),
    Case("inspections:inspection_detail", "GET", READERS, kwargs=_pk("inspection")),
    Case(
        "inspections:inspection_public",
        "POST",
        OFFICE_ONLY,
        kwargs=_pk("inspection"),
        body=lambda s, u: {"public": "1"},
    ),
    # Anonymous visitors get 404 too: an internal inspection's photos are not public.
    Case(
        "inspections:photo",
        "GET",
        expect(404, 200, 200, 200, 404, 200, 200),
        kwargs=lambda s: {"pk": s.inspection_photo.pk, "variant": "thumb"},
    ),
    Case(
        "inspections:photo",
        "GET",
        expect(404, 200, 403, 403, 404, 403, 403),
        kwargs=lambda s: {"pk": s.inspection_photo.pk, "variant": "original"},
    ),
    Case("inspections:question_new", "GET", DEPUTY_FORM, kwargs=lambda s: {"item_id": s.world.item.pk}),
    Case("inspections:questions", "GET", expect(302, 403, 403, 200, 200, 403, 403)),
    Case("inspections:question_detail", "GET", READERS, kwargs=_pk("question")),
    Case(
        "inspections:question_answer",
        "POST",
        expect(302, 403, 403, 302, 404, 403, 403),
        kwargs=_pk("question"),
        body=lambda s, u: {"answer": "年底前完工"},
    ),
]
