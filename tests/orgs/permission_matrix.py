"""Permission-matrix rows of the region's portal footer page: the office of the region (or above)."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import Case, expect

MATRIX: list[Case] = [
    Case(
        "orgs:region_portal",
        "GET",
        expect(302, 200, 403, 403, 403, 403, 403),
        kwargs=lambda s: {"pk": s.world.plan.region_id},
    ),
    Case(
        "orgs:region_portal",
        "POST",
        expect(302, 302, 403, 403, 403, 403, 403),
        kwargs=lambda s: {"pk": s.world.plan.region_id},
        body=lambda s, user: {"organiser": "金坛区人民政府办公室", "note": ""},
    ),
]


def extend(scenario: Any) -> None:
    """The rows use the plan's region of the central scenario."""
