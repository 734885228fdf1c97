"""demo.feedback.seed_feedback: public ratings, moderated and waiting comments, unit scores; idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from minsheng.demo.feedback import RATED_ITEMS, VISITS, seed_feedback
from minsheng.participation.assessment.models import UnitScore
from minsheng.participation.feedback.choices import CommentStatus
from minsheng.participation.feedback.models import PublicRating
from progress.factories import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district: Any) -> World:
    world = build_world(district)
    for n in range(9):
        world.add_item(lead=world.other if n % 2 else None)
    return world


def test_ratings_comments_and_scores_once(world: World) -> None:
    first = seed_feedback(world.plan)
    # Item n gets the first 2 + n mod 4 visitors.
    expected = sum(min(len(VISITS), 2 + n % 4) for n in range(RATED_ITEMS))
    assert first["ratings"] == expected == PublicRating.objects.count()
    statuses = set(PublicRating.objects.values_list("comment_status", flat=True))
    assert {CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.PENDING} <= statuses
    assert first["units"] == 2 == UnitScore.objects.count()  # 区住建局 and 区教育局 lead items
    assert seed_feedback(world.plan) == first
    assert PublicRating.objects.count() == expected and UnitScore.objects.count() == 2
