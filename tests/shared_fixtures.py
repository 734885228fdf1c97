"""Autouse fixtures some test folders switch on by importing them into their conftest.py
(`from shared_fixtures import english_messages as english_messages`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Messages are checked in English, whatever the default language's catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_sign_in(settings: Any) -> None:
    """Token sign-in checks passwords on every test: a cheap hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MINSHENG_API_SIGN_IN_RATE = None  # many sign-ins per test; the throttle has its own test
