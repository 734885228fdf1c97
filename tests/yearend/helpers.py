"""A 2024 world whose one item lags at the year's end, with its report approved in 2024."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from minsheng.plans.models import Item
from minsheng.progress.models import Period, ProgressReport
from progress.factories import World, approved_report


def approved_on(world: World, item: Item, period: Period, value: str, day: dt.date) -> ProgressReport:
    """An approved report whose approval is dated `day` (as if reviewed then)."""
    report = approved_report(world, item, period, value)
    reviewed = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    ProgressReport.objects.filter(pk=report.pk).update(reviewed_at=reviewed)
    return report


def lagging(world: World) -> Any:
    """The world's item at 8 of 20 km (approved in April 2024): severely behind at the year's end."""
    return approved_on(world, world.item, world.period(3), "8", dt.date(2024, 4, 10))
