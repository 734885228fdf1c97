"""Permission rows of the year-end pages (collected by tests/test_permission_matrix.py).

`extend` closes the scenario's year (its waiting January report approved first), so the pages that need
a closed year (correction, report) answer for real."""

from __future__ import annotations

from typing import Any

from minsheng.progress.services import report_approve
from minsheng.yearend.services import year_close
from test_permission_matrix import Case, Scenario, expect, item, plan


def extend(scenario: Scenario) -> None:
    world = scenario.world
    report_approve(acting_user=world.reviewer, report=scenario.submitted)
    year_close(acting_user=world.office, plan=world.plan)


def _target(s: Scenario, user: Any) -> dict[str, Any]:
    return {f"target_{s.world.item.targets.get().pk}": "20", "ending": "done", "reason": "补录验收数据"}


READ = expect(302, 200, 200, 403, 404, 200, 200)  # office, reviewers, leaders, deputies of the region
OFFICE_PAGE = expect(302, 200, 403, 403, 404, 403, 403)
OFFICE_POST = expect(302, 302, 403, 403, 404, 403, 403)

MATRIX: list[Case] = [
    Case("yearend:index", "GET", expect(302, 200, 200, 403, 403, 200, 200)),
    Case("yearend:plan", "GET", READ, kwargs=plan),
    # The year is closed: the office's new date is refused on the form (200), nobody else may post.
    Case("yearend:plan", "POST", OFFICE_PAGE, kwargs=plan, body=lambda s, u: {"on": "2025-01-20"}),
    Case("yearend:close", "GET", OFFICE_PAGE, kwargs=plan),
    Case("yearend:close", "POST", OFFICE_POST, kwargs=plan, body=lambda s, u: {"confirm": "yes"}),
    Case("yearend:carry", "POST", OFFICE_POST, kwargs=plan),
    Case("yearend:report", "GET", READ, kwargs=plan),
    Case("yearend:correct", "GET", OFFICE_PAGE, kwargs=item),
    Case("yearend:correct", "POST", OFFICE_POST, kwargs=item, body=_target),
]
