"""A small province for query-count tests: N districts under one city, each with a published plan of K
items, and the stored lights refreshed as the committed transactions would have left them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import (
    ItemFactory,
    ItemUnitFactory,
    PlanFactory,
    ProjectFactory,
    RegionFactory,
    TargetFactory,
    UnitFactory,
)
from minsheng.alerts.lights import lights_refresh
from minsheng.plans.models import Plan


def grow(city: Any, *, plans: int, items: int, year: int = 2024) -> list[Plan]:
    """`plans` districts under `city`, each with a published plan of one project and `items` items."""
    made = []
    start = city.children.count()
    for n in range(start, start + plans):
        district = RegionFactory(name=f"第{n}区", level="district", parent=city)
        unit = UnitFactory(name=f"第{n}区住建局", region=district)
        plan = PlanFactory(region=district, year=year, status="published", title=f"{year}年第{n}区民生实事")
        project = ProjectFactory(plan=plan, no=1, name="安居")
        for k in range(items):
            item = ItemFactory(project=project, position=k + 1)
            ItemUnitFactory(item=item, unit=unit, role="lead", position=1)
            TargetFactory(item=item, position=1, value=Decimal("10"), due_date=dt.date(year, 12, 31))
        made.append(plan)
    lights_refresh([p.pk for p in Plan.objects.all()])
    return made


def pages_afresh() -> None:
    """Nothing kept of any page: the shared cache emptied and each worker's memory of the portal's pages
    (portal.cache) and of the change stamp dropped, so the next request renders."""
    from django.core.cache import cache

    from minsheng.core.changes import changes_recent_forget
    from minsheng.portal.cache import portal_pages_forget

    cache.clear()
    changes_recent_forget()
    portal_pages_forget()


def queries(client: Client, url: str) -> int:
    """The number of queries one GET of `url` runs (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)
