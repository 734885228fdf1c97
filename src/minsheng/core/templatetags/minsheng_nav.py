"""Navigation state for the base layout: which links the signed-in user gets and how they are named.

The links come from the registry in `core.nav`, filled by each app's `AppConfig.ready`; this tag imports
no other app's policies.
"""

from __future__ import annotations

from typing import Any

from django import template

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import user_roles
from minsheng.core.nav import nav_links, plan_steps

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_state(context: template.Context) -> dict[str, Any]:
    """`{% nav_state as nav %}`: `nav.links` (label, href, is_current, badge), `nav.keys` (the keys of
    those links, e.g. ``"import" in nav.keys``), `nav.can_import` and the user's role labels."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"links": [], "keys": set(), "can_import": False, "can_admin": False, "role_labels": []}
    links = nav_links(request, user)
    keys = {link.key for link in links}
    roles = user_roles(user)
    return {
        "links": links,
        "keys": keys,
        "can_import": "import" in keys,
        "can_admin": "admin" in keys,
        "role_labels": [str(role.label) for role in Role if role.value in roles],
    }


@register.inclusion_tag("core/_plan_steps.html", takes_context=True)
def plan_next_steps(context: template.Context, plan: Any) -> dict[str, Any]:
    """`{% plan_next_steps plan %}`: the strip import → check → publish → periods → accounts → reporting,
    each step with its state; the first step not done is marked as the next one."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    steps = plan_steps(plan, user)
    next_key = next((step.key for step, state in steps if not state.done), None)
    return {"steps": steps, "next_key": next_key}
