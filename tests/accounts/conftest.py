"""Two districts of one city, an office in each, and a way to sign in through the real pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from factories import PASSWORD, RegionFactory, UnitFactory, UserFactory
from shared_fixtures import english_messages as english_messages


@pytest.fixture(autouse=True)
def _pages_in_english(settings: Any) -> None:
    """Pages answer in English here (the default language is Chinese), so messages can be checked."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def other_district(district: Any) -> Any:
    """溧阳市, a second district under 常州市, with its own unit and accounts."""
    liyang = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    UnitFactory(name="溧阳市教育局", region=liyang)
    return liyang


@pytest.fixture
def other_office(other_district: Any) -> Any:
    return UserFactory(username="liyang_office", role="office", region=other_district)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """POST the sign-in form as a browser would."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)
