from __future__ import annotations

from typing import Any

import pytest

from progress.factories import World, build_world


@pytest.fixture
def world(district: Any) -> World:
    return build_world(district)
