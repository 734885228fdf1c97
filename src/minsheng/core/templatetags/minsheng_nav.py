"""Navigation state for the base layout: which links the signed-in user gets and how they are named."""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import user_roles
from minsheng.dashboard.policies import can_use_dashboard
from minsheng.interchange.policies import can_import

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context) -> dict[str, Any]:
    """`{% nav_state as nav %}`: which links the user gets (import, admin, reporting, review, dashboard)
    and the user's role labels."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {
            "can_import": False,
            "can_admin": False,
            "can_report": False,
            "can_review": False,
            "can_dashboard": False,
            "role_labels": [],
        }
    roles = user_roles(user)
    return {
        "can_import": can_import(user),
        "can_report": Role.REPORTER.value in roles,
        "can_review": bool({Role.REVIEWER.value, Role.OFFICE.value} & set(roles)),
        "can_dashboard": can_use_dashboard(user),
        # Django admin itself admits staff accounts only; the link is shown to exactly those.
        "can_admin": bool(user.is_staff),
        "role_labels": [str(role.label) for role in Role if role.value in roles],
    }
