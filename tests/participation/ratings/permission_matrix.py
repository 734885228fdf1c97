"""Permission-matrix rows for the satisfaction rating and rectification pages (collected by
tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from factories import ItemFactory, ItemUnitFactory, PlanFactory, ProjectFactory, UserFactory
from minsheng.participation.ratings import services
from minsheng.participation.ratings.models import RectificationTask
from progress.factories import jpeg_with_gps
from test_permission_matrix import Case, expect, same

REGION_READERS = expect(302, 200, 200, 404, 404, 200, 200)
OFFICE_ACTION = expect(302, 302, 403, 404, 404, 403, 403)
TASK_READERS = expect(302, 200, 200, 200, 404, 200, 200)


def extend(scenario: Any) -> None:
    """A closed rating of the scenario's plan (its project rated unsatisfactory by another deputy) with a
    rectification task, a pending report and its photo; an open rating of a second plan of the region."""
    w = scenario.world
    now = timezone.now()
    window = {
        "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=3),
        "threshold": 80,
    }
    voter = UserFactory(username="deputy-voter", role="deputy", region=w.plan.region)
    closed = services.rating_event_create(acting_user=w.office, plan=w.plan, **window)
    services.rating_event_open(acting_user=w.office, event=closed)
    services.rating_cast(acting_user=voter, event=closed, marks={w.item.project_id: "unsatisfied"})
    scenario.closed_rating = services.rating_event_close(acting_user=w.office, event=closed)
    task = RectificationTask.objects.get(result__event=closed)
    scenario.rectification = task
    photo = SimpleUploadedFile("fix.jpg", jpeg_with_gps(), content_type="image/jpeg")
    scenario.rectification_report = services.rectification_report_submit(
        acting_user=w.reporter, task=task, text="已整改", files=[photo]
    )
    scenario.rectification_file = scenario.rectification_report.evidence.get()
    second = PlanFactory(region=w.plan.region, year=2025, status="published")
    project = ProjectFactory(plan=second, no=1, name="第二个计划的项目")
    ItemUnitFactory(item=ItemFactory(project=project, position=1), unit=w.lead, role="lead", position=1)
    scenario.open_rating = services.rating_event_open(
        acting_user=w.office, event=services.rating_event_create(acting_user=w.office, plan=second, **window)
    )
    scenario.open_project = project


def _pk(attr: str) -> Any:
    return lambda s: {"pk": getattr(s, attr).pk}


MATRIX: list[Case] = [
    Case("ratings:index", "GET", expect(302, 200, 403, 403, 403, 403, 200)),
    Case(
        "ratings:event_new",
        "GET",
        expect(302, 200, 403, 403, 404, 403, 403),
        kwargs=lambda s: {"plan_id": s.world.plan.pk},
    ),
    Case("ratings:results", "GET", same(200, 200), kwargs=lambda s: {"plan_id": s.world.plan.pk}),
    Case("ratings:event_detail", "GET", REGION_READERS, kwargs=_pk("closed_rating")),
    Case("ratings:event_detail", "GET", REGION_READERS, kwargs=_pk("open_rating")),
    Case("ratings:event_edit", "GET", expect(302, 200, 403, 404, 404, 403, 403), kwargs=_pk("closed_rating")),
    Case("ratings:event_open", "POST", OFFICE_ACTION, kwargs=_pk("closed_rating")),
    Case("ratings:event_close", "POST", OFFICE_ACTION, kwargs=_pk("open_rating")),
    Case(
        "ratings:rate",
        "POST",
        expect(302, 403, 403, 404, 404, 403, 302),
        kwargs=_pk("open_rating"),
        body=lambda s, u: {f"p{s.open_project.pk}": "satisfied"},
    ),
    Case("ratings:task_list", "GET", expect(302, 200, 403, 200, 200, 403, 403)),
    Case("ratings:task_detail", "GET", TASK_READERS, kwargs=_pk("rectification")),
    Case(
        "ratings:task_report",
        "POST",
        # The lead unit's reporter: 400, the report already sent awaits the office's decision.
        expect(302, 403, 403, 400, 404, 403, 403),
        kwargs=_pk("rectification"),
        body=lambda s, u: {"text": "再次整改"},
    ),
    Case(
        "ratings:report_decide",
        "POST",
        expect(302, 302, 403, 403, 404, 403, 403),
        kwargs=_pk("rectification_report"),
        body=lambda s, u: {"action": "accept", "comment": ""},
    ),
    Case(
        "ratings:evidence",
        "GET",
        TASK_READERS,
        kwargs=lambda s: {"pk": s.rectification_file.pk, "variant": "public"},
    ),
    Case(
        "ratings:evidence",
        "GET",
        expect(302, 200, 403, 403, 404, 403, 403),
        kwargs=lambda s: {"pk": s.rectification_file.pk, "variant": "original"},
    ),
]
