"""Reads take a fixed number of queries whatever the number of projects, deputies and items."""

from __future__ import annotations

import pytest
from django.utils import timezone

from factories import ItemFactory, ItemUnitFactory, ProjectFactory
from minsheng.participation.inspections.selectors import item_inspections, public_inspections
from minsheng.participation.inspections.services import inspection_record, inspection_set_public
from minsheng.participation.ratings import selectors, services
from participation.ratings.conftest import make_rated

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("more", [0, 12])
def test_results_and_tally_are_two_queries(district, django_assert_num_queries, more):
    rated = make_rated(district, deputies=4)
    for no in range(4, 4 + more):
        project = ProjectFactory(plan=rated.world.plan, no=no, name=f"项目{no}", position=no)
        ItemUnitFactory(
            item=ItemFactory(project=project, position=1), unit=rated.world.lead, role="lead", position=1
        )
    for deputy in rated.deputies:
        services.rating_cast(
            acting_user=deputy, event=rated.event, marks={p.pk: "satisfied" for p in rated.projects}
        )
    with django_assert_num_queries(2):
        assert len(selectors.tally(rated.event)) == 3 + more
    services.rating_event_close(acting_user=rated.world.office, event=rated.event)
    plan = rated.world.plan
    with django_assert_num_queries(2):
        _event, rows = selectors.published_results(plan)
        assert len(rows) == 3 + more and not any(hasattr(r, "task") for r in rows)  # all passed: no task


@pytest.mark.parametrize("visits", [1, 6])
def test_an_items_inspections_are_a_fixed_number_of_queries(world, django_assert_num_queries, visits):
    for n in range(visits):
        inspection = inspection_record(
            acting_user=world.deputy,
            plan=world.plan,
            visited_on=timezone.localdate(),
            items=[world.item, world.add_item()],
            findings=f"第{n}次视察",
        )
        inspection_set_public(acting_user=world.office, inspection=inspection, public=True)
    with django_assert_num_queries(3):
        assert len(item_inspections(world.item)) == visits
    with django_assert_num_queries(2):
        assert len(public_inspections(world.item)) == visits
