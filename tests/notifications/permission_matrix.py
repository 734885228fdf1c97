"""Permission-matrix rows of the group-robot pages: the office of the unit's region only."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import Case, expect

ROBOT = {"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "active": "on"}

MATRIX: list[Case] = [
    Case("notifications:robot_list", "GET", expect(302, 200, 403, 403, 403, 403, 403)),
    Case(
        "notifications:robot_edit",
        "GET",
        expect(302, 200, 403, 403, 403, 403, 403),
        kwargs=lambda s: {"unit_id": s.world.lead.pk},
    ),
    Case(
        "notifications:robot_edit",
        "POST",
        expect(302, 302, 403, 403, 403, 403, 403),
        kwargs=lambda s: {"unit_id": s.world.lead.pk},
        body=lambda s, user: ROBOT,
    ),
]


def extend(scenario: Any) -> None:
    """The rows use the lead unit of the central scenario."""
