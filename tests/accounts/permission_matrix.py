"""Permission-matrix rows for the accounts pages added after the central matrix (collected by
tests/test_permission_matrix.py): the security settings are the security administrator's alone."""

from __future__ import annotations

from typing import Any

from test_permission_matrix import Case, same

SETTINGS_POST = {
    "password_min_length": "12",
    "password_max_age_days": "90",
    "sign_in_failures": "5",
    "sign_in_window_minutes": "15",
    "sign_in_lock_minutes": "15",
    "session_idle_minutes": "30",
    "session_max_hours": "12",
}

MATRIX: list[Case] = [
    Case("accounts:security_settings", "GET", same(302, 403)),
    Case("accounts:security_settings", "POST", same(302, 403), body=lambda s, user: SETTINGS_POST),
]


def extend(scenario: Any) -> None:
    """The rows use the central scenario's users as they are (none of them is a security administrator)."""
