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


@pytest.fixture(autouse=True)
def english_pages(client: Any) -> None:
    """Pages in English, like the messages the tests check (the catalogue's Chinese is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
