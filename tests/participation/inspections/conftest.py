from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages are matched in English here (pages still answer in the visitor's language)."""
    with translation.override("en"):
        yield
