from __future__ import annotations

from typing import Any

import pytest

from progress.factories import World, build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MINSHENG_API_SIGN_IN_RATE = None  # many sign-ins per test; the throttle has its own test


@pytest.fixture
def world(district: Any) -> World:
    return build_world(district)
