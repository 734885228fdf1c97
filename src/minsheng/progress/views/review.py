"""The review queue and the approve/return decision."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.changes import stamped_get, stamped_set
from minsheng.core.exceptions import ServiceError
from minsheng.core.shared import TTL, tokenless, with_token
from minsheng.core.views import signed_in_user
from minsheng.progress import policies, selectors, services
from minsheng.progress.choices import ReportStatus
from minsheng.progress.forms import DecisionForm
from minsheng.progress.models import ProgressReport
from minsheng.progress.views.common import plans_for, safe_next, show_error

PER_PAGE = 20  # cards per queue page: a reviewer works from the top
CARD_TTL = TTL  # what the key misses (a unit or period renamed) shows within this many seconds


def _card_key(head: selectors.QueueHead, now: dt.datetime) -> str:
    """Everything a card shows: the report (id, version, and its change time, which the writes that change
    the card without a new version renew too: a photo's copies or check, the values per site —
    `services.reports_touch`) and the days waiting; the change stamp (approvals and returns change "last
    approved" and the warnings; plan, target, fund and site edits) is kept with the page's entry
    (`stamped_get`). Not the reader: every reader of the queue is a reviewer or the office of the report's
    region, who all see the same card."""
    days = selectors.waiting_days(head.submitted_at, now)
    return f"{head.report_id}:v{head.version}:{head.updated_at.isoformat()}:{days}"


def _body(
    request: HttpRequest, user: Any, groups: list[selectors.QueueGroup], number: int, pages: int
) -> str:
    """The page's body (plans, cards with their decision forms, pages), kept in the shared cache as one
    entry whose key is made of every card's key, the plans' totals, the page and the language: any change
    to one card renews it, and every reader seeing the same cards shares it. The keys come from the page's
    one query (`selectors.queue_page`), so a page kept costs no other read of the reports. The forms' CSRF
    tokens are taken out before it is kept and the reader's own put back (`core.shared.tokenless`). Loaded
    and rendered only when that entry is missing."""
    heads = [h for g in groups for h in g.heads]
    now = timezone.now()
    layout = [(g.plan_id, g.total, [_card_key(h, now) for h in g.heads]) for g in groups]
    raw = f"{get_language() or ''}|{number}/{pages}|{layout!r}"
    page_key = "progress:queue-page:" + hashlib.sha256(raw.encode()).hexdigest()
    stamp, body = stamped_get(page_key)  # with the change stamp, one read
    if body is None:
        selectors.queue_plans(groups)  # their titles head the page (renamed plans renew the stamp)
        rows = selectors.review_queue(user, report_ids=[h.report_id for h in heads])
        card = get_template("progress/_queue_card.html").template  # type: ignore[attr-defined]
        # `rows` lets the funds and sites includes read every card's data at once.
        html = {
            row.report.pk: mark_safe(card.render(Context({"row": row, "rows": rows, "request": request})))
            for row in rows
        }
        shown = [
            {
                "plan": g.plan,
                "total": g.total,
                "cards": [
                    {"report_id": h.report_id, "version": h.version, "html": html[h.report_id]}
                    for h in g.heads
                    if h.report_id in html  # decided between the two reads: gone from the queue
                ],
            }
            for g in groups
        ]
        context = {"groups": shown, "number": number, "pages": pages}
        body = tokenless(render_to_string("progress/_queue_body.html", context, request))
        stamped_set(page_key, stamp, body, CARD_TTL)
    # The kept text is these templates' autoescaped output, never user input as such.
    return with_token(body, request)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports, oldest first, with the change since the last approved one: grouped by plan,
    `PER_PAGE` cards a page, the page rendered once and shared by the reviewers who see it."""
    user = signed_in_user(request)
    wanted = request.GET.get("page", "")
    groups, number, pages = selectors.queue_page(user, int(wanted) if wanted.isdigit() else 1, PER_PAGE)
    # Waiting reports prove the user reviews somewhere; an empty queue asks the plans.
    if not groups and not any(policies.can_review(user, p) for p in plans_for(user)):
        raise PermissionDenied
    if groups:
        body = _body(request, user, groups, number, pages)
    else:
        body = render_to_string("progress/_queue_body.html", {"groups": []}, request)
    return render(request, "progress/queue.html", {"body": mark_safe(body)})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return in one click."""
    user = signed_in_user(request)
    report = get_object_or_404(ProgressReport.objects.select_related("item__project__plan__region"), pk=pk)
    if not policies.can_review(user, report.item.project.plan):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment") or ""
    version = form.cleaned_data.get("version")
    returning = request.POST.get("action") == "return"
    wanted = ReportStatus.RETURNED if returning else ReportStatus.APPROVED
    already = report.status == wanted  # a second click on a decision already taken: a no-op
    try:
        if returning:
            services.report_return(acting_user=user, report=report, comment=comment, expected_version=version)
        else:
            services.report_approve(
                acting_user=user, report=report, comment=comment, expected_version=version
            )
    except ServiceError as exc:
        show_error(request, exc)
    else:
        if already:
            messages.info(
                request,
                (_("Already returned: %s") if returning else _("Already approved: %s")) % report.item,
            )
        elif returning:
            messages.success(request, _("Returned to the unit: %s") % report.item)
        else:
            messages.success(request, _("Approved: %s") % report.item)
    return HttpResponseRedirect(safe_next(request) or reverse("progress:queue"))
