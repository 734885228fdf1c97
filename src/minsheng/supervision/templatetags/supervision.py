"""`{% load supervision %}{% item_notices item %}`: an item's notices on its timeline."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.plans.models import Item
from minsheng.supervision.policies import can_issue_notice
from minsheng.supervision.selectors import notices_for_item

register = template.Library()


@register.inclusion_tag("supervision/_item_notices.html", takes_context=True)
def item_notices(context: template.Context, item: Item) -> dict[str, Any]:
    """Render the item's notices (two queries) and, for reviewers, the link to issue one."""
    user = context.get("user")
    return {
        "item": item,
        "notices": notices_for_item(item),
        "can_issue": user is not None and can_issue_notice(user, item),
        "request": context.get("request"),
    }
