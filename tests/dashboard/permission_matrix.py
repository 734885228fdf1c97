"""The multi-level pages: the dashboard's readers (office, leaders, deputies) of the region."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import DASHBOARD, Case


def extend(scenario: Any) -> None:
    """Nothing to add: the scenario's district and plan are enough."""


MATRIX: list[Case] = [
    Case("dashboard:districts", "GET", DASHBOARD),
    Case("dashboard:compare", "GET", DASHBOARD, kwargs=lambda s: {"region_id": s.world.plan.region_id}),
]
