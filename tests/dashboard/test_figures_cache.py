"""Today's dashboard figures are shared from the cache and renewed by every change that moves a light."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.scenario import approve, build
from minsheng.dashboard.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def test_figures_are_shared_and_renewed_by_an_approval(district: Any) -> None:
    scenario = build(district)
    first = dashboard(scenario.plan, Filters())
    with CaptureQueriesContext(connection) as ctx:
        again = dashboard(scenario.plan, Filters())
    assert len(ctx.captured_queries) == 0 and again.total == first.total
    approve(scenario, scenario.items()[0], 3, "0.9")
    after = dashboard(scenario.plan, Filters())
    assert after.total.completion > first.total.completion
    # Another filter is another entry.
    project = after.projects[0][0]
    narrowed = dashboard(scenario.plan, Filters(project_id=project.pk))
    assert all(row.project_id == project.pk for row in narrowed.items)
