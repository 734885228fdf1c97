"""Navigation state for the base layout: which links the signed-in user gets and how they are named."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import user_roles
from minsheng.interchange.policies import can_import

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context) -> dict[str, Any]:
    """`{% nav_state as nav %}`: can_import, can_admin and the user's role labels."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"can_import": False, "can_admin": False, "role_labels": []}
    roles = user_roles(user)
    return {
        "can_import": can_import(user),
        # Django admin itself admits staff accounts only; the link is shown to exactly those.
        "can_admin": bool(user.is_staff),
        "role_labels": [str(role.label) for role in Role if role.value in roles],
    }
