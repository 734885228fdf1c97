"""Fixtures shared by the Django tests: files in a temporary media root, a Jintan region tree, users."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factories import RegionFactory, UnitFactory, UserFactory
from progress.factories import World, build_world

CORPUS = Path(__file__).parent / "parsing" / "corpus" / "shared"
JINTAN_TEXT = CORPUS / "docs" / "jintan-2024.txt"
JINTAN_GOLD = CORPUS / "gold" / "jintan-2024.json"


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    """Uploaded and imported files go to a per-test directory; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # PBKDF2's million rounds cost about a second per user on a busy two-core machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Thousands of requests from one address: the rate limit has its own tests (tests/core/test_rate_limit.py).
    settings.MINSHENG_RATE_LIMIT_ENABLED = False
    # No security-settings row unless a test saves one: the Django settings (and their overrides) apply.
    from minsheng.accounts.security_policy import security_policy_forget
    from minsheng.core.changes import changes_recent_forget
    from minsheng.portal.cache import portal_pages_forget

    security_policy_forget(assume_no_row=True)
    # What a worker keeps in memory between requests: each case starts with an empty shared cache.
    changes_recent_forget()
    portal_pages_forget()


@pytest.fixture
def district(db: None) -> Any:
    """江苏省 → 常州市 → 金坛区, with two town units; returns 金坛区."""
    province = RegionFactory(name="江苏省", code="320000", level="province", parent=None)
    city = RegionFactory(name="常州市", code="320400", level="city", parent=province)
    district = RegionFactory(name="金坛区", code="320413", level="district", parent=city)
    UnitFactory(name="金城镇", region=district, kind="town")
    UnitFactory(name="儒林镇", region=district, kind="town")
    return district


@pytest.fixture
def office(district: Any) -> Any:
    return UserFactory(username="office1", role="office", region=district)


@pytest.fixture
def world(district: Any) -> World:
    """A published 2024 plan with one item, its units and a user of every role (progress.factories)."""
    return build_world(district)


@pytest.fixture
def jintan_gold() -> dict[str, Any]:
    """The Jintan 2024 list as hand-checked Plan JSON."""
    return json.loads(JINTAN_GOLD.read_text(encoding="utf-8"))
