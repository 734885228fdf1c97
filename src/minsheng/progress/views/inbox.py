"""The reporter's inbox: "my items this period"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from minsheng.core.shared import shared
from minsheng.core.views import signed_in_user
from minsheng.progress import policies, selectors
from minsheng.progress.models import Period
from minsheng.progress.views.common import pick


def _body(request: HttpRequest, user: Any) -> dict[str, Any]:
    """The page's content as plain data: the rendered parts readers with the same unit, region and roles
    share, and what the office's forms (rendered per request, with its CSRF token) need."""
    plans, plan, period = pick(request, user)
    rows = selectors.inbox(user, plan, period) if plan and period else []
    periods = list(Period.objects.filter(plan=plan).order_by("start")) if plan else []
    can_manage = plan is not None and policies.can_manage(user, plan)
    context = {
        "plans": plans,
        "plan": plan,
        "period": period,
        "periods": periods,
        "rows": rows,
        "can_review": plan is not None and policies.can_review(user, plan),
        "can_manage": can_manage,
        "can_sheet": plan is not None and policies.can_use_sheet(user, plan),
        "has_unit": user.unit_id is not None,
    }
    return {
        "top": render_to_string("progress/_inbox_top.html", context),
        "rows": render_to_string("progress/_inbox_rows.html", context),
        "can_manage": can_manage,
        "plan_id": plan.pk if plan else None,
        "period_id": period.pk if period else None,
        "period_open": period is not None and period.closed_at is None,
        "open_past": sum(1 for p in periods if p.closed_at is None and p.end < timezone.localdate()),
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Reporter's "my items this period"; reviewers and the office are sent to their queue.

    The content is shared (`core.shared`: URL, region, unit, roles, language, day, change stamp) and
    keyed also on the unit's reports (`selectors.inbox_mark`), which draft saves and contributions change
    without renewing the change stamp."""
    user = signed_in_user(request)
    body = dict(
        shared(request, f"inbox:{selectors.inbox_mark(user)}", lambda: _body(request, user), per_unit=True)
    )
    # The cached parts are these templates' autoescaped output.
    body["top"], body["rows"] = mark_safe(body["top"]), mark_safe(body["rows"])
    return render(request, "progress/inbox.html", {"body": body, "has_unit": user.unit_id is not None})
