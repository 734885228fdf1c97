"""The deputies' part of an item's pages: `{% item_deputy_activity item %}` on the internal timeline,
`{% item_public_inspections item %}` on the portal item page."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.participation.inspections import policies, selectors
from minsheng.plans.models import Item

register = template.Library()


@register.inclusion_tag("inspections/_item_activity.html", takes_context=True)
def item_deputy_activity(context: template.Context, item: Item) -> dict[str, Any]:
    """Inspections and questions on the item (five queries), with the deputy's links."""
    user = context.get("user")
    plan = item.project.plan
    return {
        "item": item,
        "inspections": selectors.item_inspections(item),
        "questions": selectors.item_questions(item),
        "can_record": user is not None and policies.can_record_inspection(user, plan),
        "can_ask": user is not None and policies.can_ask(user, item),
    }


@register.inclusion_tag("inspections/_public_inspections.html")
def item_public_inspections(item: Item) -> dict[str, Any]:
    return {"inspections": selectors.public_inspections(item)}
