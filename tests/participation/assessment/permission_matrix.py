"""Role × URL rows for unit assessment (collected by tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from minsheng.participation.assessment.services import assessment_compute, assessment_weights_set
from test_permission_matrix import Case, expect

WEIGHTS = {"on_time": 30, "completion": 30, "supervision": 20, "satisfaction": 10, "rectification": 10}


def extend(scenario: Any) -> None:
    if not hasattr(scenario, "assessment"):
        assessment_weights_set(acting_user=None, plan=scenario.world.plan, weights=WEIGHTS)
        scenario.assessment = assessment_compute(acting_user=None, plan=scenario.world.plan)


def _plan(s: Any) -> dict[str, Any]:
    return {"pk": s.world.plan.pk}


READERS = expect(302, 200, 403, 403, 403, 200, 200)  # office, leaders, deputies of the region
OFFICE_FORM = expect(302, 200, 403, 403, 403, 403, 403)
OFFICE_POST = expect(302, 302, 403, 403, 403, 403, 403)

MATRIX: list[Case] = [
    Case("assessment:index", "GET", READERS),
    Case("assessment:detail", "GET", READERS, kwargs=_plan),
    Case("assessment:weights", "GET", OFFICE_FORM, kwargs=_plan),
    Case("assessment:weights", "POST", OFFICE_POST, kwargs=_plan, body=lambda s, u: WEIGHTS),
    Case("assessment:compute", "POST", OFFICE_POST, kwargs=_plan),
    Case("assessment:export", "GET", READERS, kwargs=_plan),
]
