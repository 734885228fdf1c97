from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from progress.factories import World, build_world


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English, whatever the default language's catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(district: Any) -> World:
    return build_world(district)
