from __future__ import annotations

from typing import Any

import pytest

from progress.factories import World, build_world
from shared_fixtures import english_messages as english_messages


@pytest.fixture
def world(district: Any, django_capture_on_commit_callbacks: Any) -> World:
    """The progress world, built with its after-commit work run (stored lights), so each change of a
    test refreshes them again when its own callbacks run."""
    with django_capture_on_commit_callbacks(execute=True):
        return build_world(district)
