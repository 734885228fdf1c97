"""Public rating figures for the portal's item and plan pages (`{% include "feedback/_item.html" %}`)."""

from __future__ import annotations

from django import template

from minsheng.participation.feedback.forms import RatingForm
from minsheng.participation.feedback.selectors import (
    PlanRatings,
    RatingSummary,
    item_rating_summary,
    plan_rating_summaries,
)
from minsheng.participation.feedback.verification import configured_verifiers

register = template.Library()


@register.simple_tag
def item_ratings(item_id: int) -> RatingSummary:
    return item_rating_summary(item_id)


@register.simple_tag
def plan_ratings(plan_id: int) -> PlanRatings:
    return plan_rating_summaries(plan_id)


@register.simple_tag
def rating_form() -> RatingForm:
    return RatingForm()


@register.simple_tag
def rating_verifiers() -> list[str]:
    return [v.name for v in configured_verifiers()]


@register.filter
def summary_of(ratings: PlanRatings, item_id: int) -> RatingSummary | None:
    return ratings.items.get(item_id)
