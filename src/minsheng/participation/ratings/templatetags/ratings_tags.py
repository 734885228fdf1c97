"""`{% load ratings_tags %}{% rating_results_link plan %}`: the portal plan page's link to its rating results."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.participation.ratings.selectors import has_published_results
from minsheng.plans.models import Plan

register = template.Library()


@register.inclusion_tag("ratings/_results_link.html")
def rating_results_link(plan: Plan) -> dict[str, Any]:
    """The link when the plan's satisfaction rating is closed (one query), else nothing."""
    return {"plan": plan, "show": has_published_results(plan)}
