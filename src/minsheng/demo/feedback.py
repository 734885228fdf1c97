"""Demo public ratings and unit scores: `seed_feedback(plan)` rates the Jintan items as a few visitors would,
moderates some comments as the demo office, and computes the 2024 unit assessment.

Idempotent: a visitor's rating of an item exists once (the service refuses a second), comments already
moderated stay as they are, and the weights are set only when the plan has none.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.participation.assessment.models import Assessment
from minsheng.participation.assessment.services import assessment_compute, assessment_weights_set
from minsheng.participation.feedback.choices import CommentStatus
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.selectors import current_period
from minsheng.participation.feedback.services import comment_moderate, rating_submit
from minsheng.participation.feedback.verification import address_identity
from minsheng.plans.models import Item, Plan

# (visitor, score, comment): visitors are documentation addresses (RFC 5737), never real ones.
VISITS = (
    ("192.0.2.11", 5, "新修的健身步道很方便，晚上散步的人多了。"),
    ("192.0.2.12", 4, ""),
    ("192.0.2.13", 3, "进度还可以，希望施工期间注意降噪。"),
    ("192.0.2.14", 2, "小区门口道路仍在施工，出行不便。"),
    ("192.0.2.15", 5, ""),
)
DEMO_WEIGHTS = {"on_time": 30, "completion": 30, "supervision": 20, "satisfaction": 10, "rectification": 10}
RATED_ITEMS = 8  # the first items of the list get ratings; the rest show "no ratings yet"


@transaction.atomic
def seed_feedback(plan: Plan) -> dict[str, int]:
    """Ratings on the first items, some comments shown and one hidden, and the plan's unit scores."""
    office = User.objects.filter(groups__name=Role.OFFICE, is_active=True, region=plan.region).first()
    period = current_period(plan, timezone.localdate())
    items = list(
        Item.objects.filter(project__plan=plan).order_by("project__position", "project__no", "position")
    )
    for n, item in enumerate(items[:RATED_ITEMS]):
        for v, (address, score, comment) in enumerate(VISITS[: 2 + n % 4]):
            identity = address_identity(address)
            if (
                period is None
                or PublicRating.objects.filter(item=item, period=period, rater_key=identity.key).exists()
            ):
                continue
            rating = rating_submit(
                acting_user=None,
                item=item,
                identity=identity,
                score=max(1, min(5, score - (n + v) % 2)),
                comment=comment,
                address=address,
            )
            # The office has read most comments: it shows them, hides one, leaves the last ones waiting.
            if office is not None and rating.comment_status == CommentStatus.PENDING and n < RATED_ITEMS - 2:
                comment_moderate(acting_user=office, rating=rating, approve=not (n == 2 and v == 3))
    if not Assessment.objects.filter(plan=plan).exists():
        assessment_weights_set(acting_user=None, plan=plan, weights=DEMO_WEIGHTS)
    assessment = Assessment.objects.get(plan=plan)
    if assessment.computed_at is None:
        assessment_compute(acting_user=None, plan=plan)
    return {
        "ratings": PublicRating.objects.filter(item__project__plan=plan).count(),
        "pending": PublicRating.objects.filter(
            item__project__plan=plan, comment_status=CommentStatus.PENDING
        ).count(),
        "units": assessment.scores.count(),
    }
