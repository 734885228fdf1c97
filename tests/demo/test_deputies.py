"""The demo's deputies: inspections, answered questions, a closed rating with one rectification task."""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.demo.deputies import DEPUTIES, seed_deputies
from minsheng.participation.inspections.models import Inspection, Question
from minsheng.participation.ratings.choices import EventStatus, TaskStatus
from minsheng.participation.ratings.models import Rating, RatingEvent, RatingResult, RectificationTask

pytestmark = pytest.mark.django_db


def test_seed_deputies_once(district: Any) -> None:
    from minsheng.demo.services import demo_install

    plan = demo_install().plan
    first = seed_deputies(plan)
    assert (first.inspections, first.questions, first.closed) == (3, 2, True)
    projects = plan.projects.count()
    assert first.ratings == (DEPUTIES + 1) * projects
    event = RatingEvent.objects.get(plan=plan)
    assert event.status == EventStatus.CLOSED
    bad = RatingResult.objects.filter(event=event, unsatisfactory=True)
    assert bad.count() == 1
    # 41 deputies; one in three (deputy index 0, 3, …, 39: 14) unsatisfied with the weak project.
    assert (bad.get().unsatisfied, bad.get().votes) == (14, 41)
    assert RectificationTask.objects.get().status == TaskStatus.OPEN
    assert Inspection.objects.filter(public=True).count() == 1
    assert Question.objects.filter(answered_at__isnull=False).count() == 2
    again = seed_deputies(plan)
    assert (again.inspections, again.questions, again.ratings) == (0, 0, 0)
    assert Rating.objects.count() == first.ratings and Inspection.objects.count() == 3
