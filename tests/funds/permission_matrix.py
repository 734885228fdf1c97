"""Who may use the funds pages: the office edits; reviewers, leaders and deputies of the region read."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import Case, expect

READ = expect(302, 200, 200, 403, 403, 200, 200)
OFFICE_FORM = expect(302, 200, 403, 403, 403, 403, 403)
OFFICE_POST = expect(302, 302, 403, 403, 403, 403, 403)


def extend(scenario: Any) -> None:
    """Nothing to add: the pages work on the scenario's plan and item."""


def plan(s: Any) -> dict[str, Any]:
    return {"plan_id": s.world.plan.pk}


def item(s: Any) -> dict[str, Any]:
    return {"item_id": s.world.item.pk}


MATRIX: list[Case] = [
    Case("funds:index", "GET", expect(302, 302, 302, 403, 403, 302, 302)),
    Case("funds:plan", "GET", READ, kwargs=plan),
    Case("funds:settings", "GET", OFFICE_FORM, kwargs=plan),
    Case(
        "funds:settings",
        "POST",
        OFFICE_POST,
        kwargs=plan,
        body=lambda s, u: {"lag_threshold": "10", "severe_threshold": "20"},
    ),
    Case("funds:from_list", "POST", OFFICE_POST, kwargs=plan),
    Case("funds:item", "GET", OFFICE_FORM, kwargs=item),
    Case("funds:item", "POST", OFFICE_POST, kwargs=item, body=lambda s, u: {"local": "100"}),
]
