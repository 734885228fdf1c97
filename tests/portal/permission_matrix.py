"""Permission-matrix rows of the portal's display switch (anyone; it only sets a cookie)."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import Case, same

MATRIX: list[Case] = [
    Case("portal:display", "GET", same(302, 302), query="?mode=large"),
    Case("portal:display_css", "GET", same(200, 200)),
]


def extend(scenario: Any) -> None:
    """Nothing to add: the switch touches no data."""
