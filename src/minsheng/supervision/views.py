"""Pages: open notices, the issue form (from an item), a notice with its replies, reply and decision forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.core.views import service_errors_on_form, signed_in_user
from minsheng.plans.models import Item
from minsheng.supervision import services
from minsheng.supervision.forms import NoticeDecisionForm, NoticeIssueForm, NoticeReplyForm
from minsheng.supervision.models import SupervisionNotice
from minsheng.supervision.policies import (
    can_decide_notice,
    can_issue_notice,
    can_list_notices,
    can_reply_notice,
    can_view_notice,
)
from minsheng.supervision.selectors import item_needs_supervision, notices_visible, open_notices


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    if not can_list_notices(request.user):
        raise PermissionDenied
    show_all = request.GET.get("all") == "1"
    notices = (
        notices_visible(request.user).order_by("-created_at", "-pk")
        if show_all
        else open_notices(request.user)
    )
    return render(
        request,
        "supervision/notice_list.html",
        {"notices": notices, "show_all": show_all, "today": timezone.localdate()},
    )


@login_required
def notice_issue(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=item_id)
    if not can_issue_notice(request.user, item):
        raise PermissionDenied
    form = NoticeIssueForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        with service_errors_on_form(form):
            notice = services.notice_issue(
                acting_user=signed_in_user(request),
                item=item,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                measures=form.cleaned_data["measures"],
                reply_deadline=form.cleaned_data["reply_deadline"],
            )
            if getattr(notice, "replayed", False):
                messages.info(request, _("This supervision notice was already issued; it is not sent twice."))
            else:
                messages.success(request, _("The supervision notice was issued."))
            return redirect("supervision:notice_detail", pk=notice.pk)
    return render(
        request,
        "supervision/notice_issue.html",
        {"item": item, "form": form, "needs_supervision": item_needs_supervision(item)},
    )


def _visible_notice(request: HttpRequest, pk: int) -> SupervisionNotice:
    notice = get_object_or_404(
        SupervisionNotice.objects.select_related("item__project__plan__region", "unit", "issued_by"), pk=pk
    )
    if not can_view_notice(request.user, notice):
        raise Http404
    return notice


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    return _render_detail(request, notice)


@login_required
def notice_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice's 督办函 as a Word document (公文 layout)."""
    from minsheng.bulletins.letters import notice_letter_export

    notice = _visible_notice(request, pk)
    content = notice_letter_export(acting_user=signed_in_user(request), notice=notice)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = f"督办函-{notice.item.project.no}-{notice.pk}.docx"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


def _render_detail(
    request: HttpRequest,
    notice: SupervisionNotice,
    reply_form: NoticeReplyForm | None = None,
    decision_form: NoticeDecisionForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "supervision/notice_detail.html",
        {
            "notice": notice,
            "replies": notice.replies.select_related("author", "unit").order_by("created_at", "pk"),
            "can_reply": can_reply_notice(request.user, notice),
            "can_decide": can_decide_notice(request.user, notice),
            "reply_form": reply_form or NoticeReplyForm(),
            "decision_form": decision_form or NoticeDecisionForm(),
        },
        status=400 if (reply_form or decision_form) else 200,
    )


@login_required
@require_POST
def notice_reply(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible_notice(request, pk)
    if not can_reply_notice(request.user, notice):
        raise PermissionDenied
    form = NoticeReplyForm(request.POST)
    if form.is_valid():
        with service_errors_on_form(form):
            services.notice_reply(
                acting_user=signed_in_user(request), notice=notice, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Your reply was sent."))
            return redirect("supervision:notice_detail", pk=notice.pk)
    return _render_detail(request, notice, reply_form=form)


def _decide(request: HttpRequest, pk: int, *, close: bool) -> HttpResponse:
    notice = _visible_notice(request, pk)
    if not can_decide_notice(request.user, notice):
        raise PermissionDenied
    form = NoticeDecisionForm(request.POST)
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        with service_errors_on_form(form):
            if close:
                services.notice_close(acting_user=signed_in_user(request), notice=notice, comment=comment)
            else:
                services.notice_return(acting_user=signed_in_user(request), notice=notice, comment=comment)
            messages.success(request, _("The notice was closed.") if close else _("The reply was returned."))
            return redirect("supervision:notice_detail", pk=notice.pk)
    return _render_detail(request, notice, decision_form=form)


@login_required
@require_POST
def notice_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, close=True)


@login_required
@require_POST
def notice_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, close=False)
