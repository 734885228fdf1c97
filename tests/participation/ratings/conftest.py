"""A published plan with three projects, a rating window around now, ten deputies of its region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from factories import ItemFactory, ItemUnitFactory, ProjectFactory, RegionFactory, UserFactory
from minsheng.participation.ratings.models import RatingEvent
from minsheng.participation.ratings.services import rating_event_create, rating_event_open
from progress.factories import World, build_world


@dataclass
class Rated:
    world: World
    projects: list[Any]  # world.item's project first, then two more (lead 区住建局, 区教育局)
    deputies: list[Any]
    event: RatingEvent
    stranger: Any  # a deputy of another district


def make_rated(district: Any, *, deputies: int = 10, threshold: str = "80") -> Rated:
    world = build_world(district)
    projects = [world.item.project]
    for no, lead in ((2, world.lead), (3, world.other)):
        project = ProjectFactory(plan=world.plan, no=no, name=f"项目{no}", position=no)
        item = ItemFactory(project=project, position=1, text=f"项目{no}的主要内容")
        ItemUnitFactory(item=item, unit=lead, role="lead", position=1)
        projects.append(project)
    people = [world.deputy] + [
        UserFactory(username=f"deputy{n:02d}", role="deputy", region=district) for n in range(2, deputies + 1)
    ]
    elsewhere = RegionFactory(name="溧阳市", code="320481", level="district", parent=district.parent)
    stranger = UserFactory(username="liyang-deputy", role="deputy", region=elsewhere)
    now = timezone.now()
    event = rating_event_create(
        acting_user=world.office,
        plan=world.plan,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        threshold=threshold,
    )
    event = rating_event_open(acting_user=world.office, event=event)
    return Rated(world, projects, people, event, stranger)


@pytest.fixture
def rated(district: Any) -> Rated:
    return make_rated(district)


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service messages are matched in English here (pages still answer in the visitor's language)."""
    with translation.override("en"):
        yield
