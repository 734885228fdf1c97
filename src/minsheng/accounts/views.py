"""Where a person lands after signing in: the page their role works from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import user_roles

# First matching role wins: the office prepares plans, leaders read the dashboard, reviewers review,
# reporters report; deputies (and anyone else) read the plans.
_LANDING = (
    (Role.OFFICE, "plans:plan_list"),
    (Role.LEADER, "dashboard:overview"),
    (Role.REVIEWER, "progress:queue"),
    (Role.REPORTER, "progress:inbox"),
)


@login_required
def start(request: HttpRequest) -> HttpResponseRedirect:
    roles = user_roles(request.user)
    target = next((name for role, name in _LANDING if role.value in roles), "plans:plan_list")
    return HttpResponseRedirect(reverse(target))
