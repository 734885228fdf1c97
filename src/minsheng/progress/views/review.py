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


def _page_key(user: Any, mark: tuple[int, int, int, str], number: int) -> str:
    """The key of page `number` of the queue as `user` sees it: the reader's region (the queue is the
    region's and those below it; reviewers and the office see the same), the queue's mark
    (`selectors.queue_mark`: a submission, a decision, a new version or a touch of a waiting report —
    photo copies and checks, values per site, `services.reports_touch` — renews it) and the language.
    The change stamp (approvals and returns change "last approved" and the warnings; plan, target, fund
    and site edits) is kept with the entry (`stamped_get`)."""
    raw = f"{get_language() or ''}|{user.region_id}|{number}/{PER_PAGE}|{mark!r}"
    return "progress:queue-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _until_a_day_turns(groups: list[selectors.QueueGroup], now: dt.datetime) -> int:
    """Seconds until a card's days waiting grows by one (at most `CARD_TTL`): the kept page lives no
    longer than the figures it shows."""
    seconds = float(CARD_TTL)
    for head in (h for g in groups for h in g.heads):
        if head.submitted_at is not None:
            days = selectors.waiting_days(head.submitted_at, now)
            turns = head.submitted_at + dt.timedelta(days=days + 1)
            seconds = min(seconds, (turns - now).total_seconds())
    return max(1, int(seconds))


def _body(request: HttpRequest, user: Any, number: int) -> tuple[str, bool]:
    """The page's body (plans, cards with their decision forms, pages) and whether it has cards, kept in
    the shared cache as one entry per page and queue mark (`_page_key`): a page kept costs the mark's one
    aggregate query, and every reader of the same region shares it. The forms' CSRF tokens are taken out
    before it is kept and the reader's own put back (`core.shared.tokenless`). Only when the entry is
    missing are the page's reports placed (`selectors.queue_page`), loaded with their contents and
    rendered."""
    mark = selectors.queue_mark(user)
    if not mark[0]:
        return "", False
    key = _page_key(user, mark, number)
    stamp, body = stamped_get(key)  # with the change stamp, one read
    if body is None:
        groups, shown_number, pages = selectors.queue_page(user, number, PER_PAGE)
        if not groups:  # emptied between the two reads
            return "", False
        heads = [h for g in groups for h in g.heads]
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
        context = {"groups": shown, "number": shown_number, "pages": pages}
        body = tokenless(render_to_string("progress/_queue_body.html", context, request))
        stamped_set(key, stamp, body, _until_a_day_turns(groups, timezone.now()))
    # The kept text is these templates' autoescaped output, never user input as such.
    return with_token(body, request), True


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted reports, oldest first, with the change since the last approved one: grouped by plan,
    `PER_PAGE` cards a page, the page rendered once and shared by the reviewers who see it."""
    user = signed_in_user(request)
    wanted = request.GET.get("page", "")
    body, found = _body(request, user, int(wanted) if wanted.isdigit() else 1)
    # Waiting reports prove the user reviews somewhere; an empty queue asks the plans.
    if not found:
        if not any(policies.can_review(user, p) for p in plans_for(user)):
            raise PermissionDenied
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
