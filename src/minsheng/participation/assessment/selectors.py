"""Read what unit scores are computed from, and the stored scores. Fixed query counts throughout.

For the year-end report (`yearend`): `assessment_table(plan)` gives the stored scores with their units and
the weights, or None before they are computed; `exports.assessment_workbook(plan)` the .xlsx bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Min
from django.utils import timezone

from minsheng.alerts.lights import group_lights
from minsheng.alerts.models import LightKind
from minsheng.alerts.selectors import light_day
from minsheng.orgs.models import Unit
from minsheng.participation.assessment.choices import Part
from minsheng.participation.assessment.models import Assessment, UnitScore
from minsheng.participation.assessment.scoring import Figures
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import ItemUnit, Plan
from minsheng.progress.choices import RevisionAction
from minsheng.progress.models import Period, ReportRevision
from minsheng.supervision.models import SupervisionNotice

RATINGS_APP = "minsheng.participation.ratings"


def _first_submissions(plan: Plan) -> dict[tuple[int, int], dt.date]:
    """(item, period) → the local day the report was first submitted."""
    rows = (
        ReportRevision.objects.filter(report__item__project__plan=plan, action=RevisionAction.SUBMIT)
        .values("report__item_id", "report__period_id")
        .annotate(first=Min("at"))
    )
    return {(r["report__item_id"], r["report__period_id"]): timezone.localdate(r["first"]) for r in rows}


def _satisfaction(plan: Plan, figures: dict[int, Figures], projects_of: dict[int, set[int]]) -> None:
    """Deputies' satisfaction and rectification from the plan's closed rating (满意度测评), if there is one."""
    if not apps.is_installed(RATINGS_APP):
        return
    from minsheng.participation.ratings.choices import EventStatus, TaskStatus
    from minsheng.participation.ratings.models import RatingEvent, RatingResult, RectificationTask

    event = RatingEvent.objects.filter(plan=plan, status=EventStatus.CLOSED).first()
    if event is None:
        return
    results = {
        r.project_id: r.satisfaction
        for r in RatingResult.objects.filter(event=event).only("project_id", "satisfaction")
        if r.satisfaction is not None
    }
    tasks: dict[int, list[str]] = defaultdict(list)
    for row in RectificationTask.objects.filter(result__event=event).values("units__id", "status"):
        if row["units__id"] is not None:
            tasks[row["units__id"]].append(row["status"])
    for unit_id, fig in figures.items():
        fig.rated = True
        fig.satisfaction = [Decimal(results[p]) for p in sorted(projects_of[unit_id]) if p in results]
        fig.tasks = len(tasks[unit_id])
        fig.tasks_closed = sum(1 for s in tasks[unit_id] if s == TaskStatus.CLOSED)


def unit_figures(plan: Plan, today: dt.date | None = None) -> tuple[dict[int, Unit], dict[int, Figures]]:
    """Each lead unit of the plan (as listed: a group word is one unit) and its figures as of `today`."""
    today = today or timezone.localdate()
    on = light_day(plan, today)
    leads = list(
        ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).values_list(
            "unit_id", "item_id", "item__project_id"
        )
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in={row[0] for row in leads})}
    items_of: dict[int, set[int]] = defaultdict(set)
    projects_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, item_id, project_id in leads:
        items_of[unit_id].add(item_id)
        projects_of[unit_id].add(project_id)
    figures = {unit_id: Figures() for unit_id in units}

    due_periods = list(Period.objects.filter(plan=plan, deadline__lt=today).values_list("pk", "deadline"))
    first = _first_submissions(plan)
    for unit_id, item_ids in items_of.items():
        fig = figures[unit_id]
        for item_id in item_ids:
            for period_id, deadline in due_periods:
                fig.due += 1
                submitted = first.get((item_id, period_id))
                if submitted is not None and submitted <= deadline:
                    fig.on_time += 1

    for unit_id, light in group_lights([plan], LightKind.UNIT, on).items():
        if unit_id in figures:
            figures[unit_id].completion = light.completion
            figures[unit_id].expected = light.expected

    notices = (
        SupervisionNotice.objects.filter(item__project__plan=plan).values("unit_id").annotate(n=Count("pk"))
    )
    for row in notices:
        if row["unit_id"] in figures:
            figures[row["unit_id"]].notices = row["n"]

    _satisfaction(plan, figures, projects_of)
    return units, figures


@dataclass
class AssessmentTable:
    """Stored scores of a plan, best first, with the weights they were computed with."""

    assessment: Assessment
    scores: list[UnitScore]

    @property
    def weights(self) -> dict[str, int]:
        return self.assessment.weights

    @property
    def parts(self) -> list[tuple[str, str, int]]:
        """(part, label, weight) in order."""
        return [(p, str(label), self.weights[p]) for p, label in Part.choices]


def assessment_of(plan: Plan) -> Assessment | None:
    return Assessment.objects.filter(plan=plan).first()


def assessment_table(plan: Plan) -> AssessmentTable | None:
    """The plan's unit scores (two queries), or None before the office has computed them."""
    assessment = Assessment.objects.filter(plan=plan).select_related("computed_by").first()
    if assessment is None or assessment.computed_at is None:
        return None
    scores = list(assessment.scores.select_related("unit").order_by("rank", "unit__name"))
    return AssessmentTable(assessment=assessment, scores=scores)


def assessable_plans(user: Any) -> list[tuple[Plan, Assessment | None]]:
    """Published plans of the user's region with their assessment (two queries)."""
    from minsheng.plans.selectors import plan_list

    plans = list(plan_list(user).filter(status="published"))
    found = {a.plan_id: a for a in Assessment.objects.filter(plan__in=plans)}
    return [(p, found.get(p.pk)) for p in plans]
