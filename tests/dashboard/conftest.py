"""Fixtures the dashboard's multi-region tests share: a city without districts, an in-memory cache."""

from __future__ import annotations

from typing import Any

import pytest

from factories import RegionFactory


@pytest.fixture
def cache_in_memory(settings: Any) -> None:
    """Count the pages' own queries, not those of the database cache table."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def city(db: None) -> Any:
    """常州市 under 江苏省, with no districts yet (tests grow them: alerts.province.grow)."""
    province = RegionFactory(name="江苏省", code="320000", level="province", parent=None)
    return RegionFactory(name="常州市", code="320400", level="city", parent=province)
