from __future__ import annotations

from typing import Any

import pytest

from minsheng.demo.activity import seed_activity
from minsheng.demo.services import demo_install
from minsheng.plans.models import Plan
from shared_fixtures import english_messages as english_messages


@pytest.fixture
def demo_year(
    settings: Any, tmp_path: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> Plan:
    """The demo's Jintan 2024 plan with its months of reports, its year still open (the full demo
    closes the year last, after which nothing of it changes)."""
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.setenv("MINSHENG_DEMO_PASSWORD", "demo-pass-123")
    with django_capture_on_commit_callbacks(execute=True):
        plan = demo_install().plan
        seed_activity(plan)
    return plan
