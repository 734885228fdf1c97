"""Read public ratings: the period being rated, aggregates per item and plan, the moderation queue.

Every function runs a fixed number of queries whatever the number of items and ratings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.orgs.selectors import user_region_ids
from minsheng.participation.feedback.choices import CommentStatus, Score
from minsheng.participation.feedback.models import PublicRating
from minsheng.plans.models import Plan
from minsheng.progress.models import Period

PUBLIC_COMMENTS = 20


def current_period(plan: Plan, today: dt.date) -> Period | None:
    """The period ratings go to: the latest one started by `today` (after the year, the last one; before
    it starts, the first one)."""
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    if not periods:
        return None
    started = [p for p in periods if p.start <= today]
    return started[-1] if started else periods[0]


@dataclass
class RatingSummary:
    """Counts per score (5 … 1), how many rated, the mean score, and the comments shown."""

    counts: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(sorted(Score.values, reverse=True), 0)
    )
    comments: list[PublicRating] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        total = self.total
        return round(sum(s * n for s, n in self.counts.items()) / total, 1) if total else None

    def rows(self) -> list[tuple[int, str, int, float]]:
        """(score, label, count, share 0–1) from 5 down to 1, for the bars."""
        total = self.total
        labels = dict(Score.choices)
        return [(s, str(labels[s]), n, n / total if total else 0.0) for s, n in self.counts.items()]


def _count_into(summaries: dict[int, RatingSummary], rows: Iterable[dict[str, Any]], key: str) -> None:
    for row in rows:
        summaries.setdefault(row[key], RatingSummary()).counts[row["score"]] += row["n"]


def item_rating_summary(item_id: int) -> RatingSummary:
    """An item's ratings over every period, with its latest shown comments (two queries)."""
    summary = RatingSummary()
    _count_into(
        {item_id: summary},
        PublicRating.objects.filter(item_id=item_id).values("item_id", "score").annotate(n=Count("pk")),
        "item_id",
    )
    summary.comments = list(
        PublicRating.objects.filter(item_id=item_id, comment_status=CommentStatus.APPROVED)
        .select_related("period")
        .order_by("-created_at", "-pk")[:PUBLIC_COMMENTS]
    )
    return summary


@dataclass
class PlanRatings:
    """A plan's ratings: per item and for the whole plan."""

    items: dict[int, RatingSummary]
    plan: RatingSummary


def plan_rating_summaries(plan_id: int) -> PlanRatings:
    """Counts per item and for the plan (one query)."""
    items: dict[int, RatingSummary] = {}
    _count_into(
        items,
        PublicRating.objects.filter(item__project__plan_id=plan_id)
        .values("item_id", "score")
        .annotate(n=Count("pk")),
        "item_id",
    )
    whole = RatingSummary()
    for summary in items.values():
        for score, n in summary.counts.items():
            whole.counts[score] += n
    return PlanRatings(items=items, plan=whole)


def ratings_visible(user: Any) -> QuerySet[PublicRating]:
    """Ratings with a comment on plans of the office user's region (nothing for anyone else)."""
    if not has_role(user, Role.OFFICE):
        return PublicRating.objects.none()
    ratings = PublicRating.objects.exclude(comment_status=CommentStatus.NONE).select_related(
        "item__project__plan__region", "period"
    )
    if user.region_id is None:
        return ratings
    return ratings.filter(item__project__plan__region_id__in=user_region_ids(user))


def moderation_queue(user: Any) -> QuerySet[PublicRating]:
    """Comments awaiting the office's decision, oldest first."""
    return ratings_visible(user).filter(comment_status=CommentStatus.PENDING).order_by("created_at", "pk")


def pending_count(user: Any) -> int:
    """How many comments wait for `user` (the navigation badge)."""
    return moderation_queue(user).count() if has_role(user, Role.OFFICE) else 0
