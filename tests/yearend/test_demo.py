"""The demo's year end (src/minsheng/demo/yearend.py): 2024 read as of the congress meeting, closed, and
carried into the 2025 draft plan; running it again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import PlanFactory
from minsheng.plans.models import Item, Plan
from minsheng.progress.services import report_submit
from minsheng.yearend.models import CarryOver, FinalResult
from progress.factories import filled_report
from yearend.helpers import lagging

pytestmark = pytest.mark.django_db


def test_seed_year_end_closes_and_carries_once(world):
    from minsheng.demo.yearend import READING_DAY, seed_year_end

    lagging(world)
    # A report still in the review queue is decided before the close.
    report_submit(acting_user=world.reporter, report=filled_report(world, world.item, world.period(11), "9"))
    draft = PlanFactory(region=world.plan.region, year=2025, status="draft")
    first = seed_year_end(world.plan, today=dt.date(2026, 12, 6))
    world.plan.refresh_from_db()
    assert world.plan.year_end_on == READING_DAY and world.plan.year_closed_at is not None
    assert first.closed and first.carried == 1 and first.next_plan == draft
    counts = (
        Plan.objects.count(),
        Item.objects.count(),
        FinalResult.objects.count(),
        CarryOver.objects.count(),
    )
    again = seed_year_end(world.plan, today=dt.date(2026, 12, 7))
    assert again.carried == 0
    assert counts == (
        Plan.objects.count(),
        Item.objects.count(),
        FinalResult.objects.count(),
        CarryOver.objects.count(),
    )


def test_nothing_happens_before_the_year_is_over(world):
    from minsheng.demo.yearend import seed_year_end

    assert not seed_year_end(world.plan, today=dt.date(2024, 12, 20)).closed
    world.plan.refresh_from_db()
    assert world.plan.year_closed_at is None and world.plan.year_end_on is None
