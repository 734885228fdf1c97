"""The reporter's inbox: "my items this period"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from minsheng.core.views import signed_in_user
from minsheng.progress import policies, selectors
from minsheng.progress.models import Period
from minsheng.progress.views.common import pick


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Reporter's "my items this period"; reviewers and the office are sent to their queue."""
    user = signed_in_user(request)
    plans, plan, period = pick(request, user)
    rows = selectors.inbox(user, plan, period) if plan and period else []
    periods = list(Period.objects.filter(plan=plan).order_by("start")) if plan else []
    context = {
        "plans": plans,
        "plan": plan,
        "period": period,
        "periods": periods,
        "rows": rows,
        "can_review": plan is not None and policies.can_review(user, plan),
        "can_manage": plan is not None and policies.can_manage(user, plan),
        "can_sheet": plan is not None and policies.can_use_sheet(user, plan),
        "has_unit": user.unit_id is not None,
        "open_past": [p for p in periods if p.closed_at is None and p.end < timezone.localdate()],
    }
    return render(request, "progress/inbox.html", context)
