"""Pages: rate an item (public), the office's comment moderation queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.middleware import client_address
from minsheng.core.exceptions import ServiceError
from minsheng.core.views import service_errors_as_message, signed_in_user
from minsheng.participation import anonymise
from minsheng.participation.feedback import services
from minsheng.participation.feedback.forms import RatingForm
from minsheng.participation.feedback.models import PublicRating
from minsheng.participation.feedback.policies import can_moderate, can_moderate_any, can_rate
from minsheng.participation.feedback.selectors import item_rating_summary, moderation_queue, ratings_visible
from minsheng.participation.feedback.verification import configured_verifiers, identify, phone_verifier
from minsheng.plans.models import Item


def _add_error(form: RatingForm, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The rating form of an item (also shown on the portal's item page); a thank-you page once recorded.

    Answered here rather than by redirecting to the cached portal page, so the outcome is always seen.
    """
    item = get_object_or_404(Item.objects.select_related("project__plan__region"), pk=pk)
    if not can_rate(item):
        raise Http404
    form = RatingForm(request.POST or None)
    address = client_address(request)
    code_sent = False
    if request.method == "POST" and request.POST.get("action") == "send_code":
        form = RatingForm(initial={"phone": request.POST.get("phone", "")})
        verifier = phone_verifier()
        if verifier is None:
            raise Http404
        try:
            services.code_request(verifier=verifier, phone=request.POST.get("phone", ""), address=address)
        except ServiceError as exc:
            form = RatingForm(request.POST)
            form.is_valid()
            _add_error(form, exc)
        else:
            code_sent = True
    elif request.method == "POST" and form.is_valid():
        try:
            user = request.user if request.user.is_authenticated else None
            identity = identify(user=user, data=form.cleaned_data, address=address)
            rating = services.rating_submit(
                acting_user=user,  # type: ignore[arg-type]
                item=item,
                identity=identity,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                address=address,
            )
        except ServiceError as exc:
            _add_error(form, exc)
        else:
            return render(request, "feedback/thanks.html", {"item": item, "rating": rating})
    context = {
        "item": item,
        "form": form,
        "summary": item_rating_summary(item.pk),
        "verifiers": [v.name for v in configured_verifiers()],
        "code_sent": code_sent,
    }
    return render(request, "feedback/rate.html", context, status=400 if form.errors else 200)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Comments awaiting approval in the office's region, and the latest ones shown (which it may hide)."""
    if not can_moderate_any(request.user):
        raise PermissionDenied
    shown = ratings_visible(request.user).filter(comment_status="approved").order_by("-created_at", "-pk")
    context = {"pending": moderation_queue(request.user), "shown": shown[:50]}
    return render(request, "feedback/moderation.html", context)


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(PublicRating.objects.select_related("item__project__plan__region"), pk=pk)
    if not can_moderate(request.user, rating.item):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose to show or to hide the comment."))
        return redirect("feedback:moderation")
    with service_errors_as_message(request):
        services.comment_moderate(
            acting_user=signed_in_user(request), rating=rating, approve=decision == "approve"
        )
        messages.success(
            request, _("The comment is shown.") if decision == "approve" else _("The comment is hidden.")
        )
    return redirect("feedback:moderation")


@login_required
@require_POST
def anonymise_phone(request: HttpRequest) -> HttpResponse:
    """On a rater's request: their ratings of the region's items lose the link to the phone; audited."""
    if not can_moderate_any(request.user):
        raise PermissionDenied
    with service_errors_as_message(request):
        count = anonymise.ratings_anonymise_phone(
            acting_user=signed_in_user(request), phone=str(request.POST.get("phone", ""))
        )
        messages.success(request, _("Ratings anonymised for this number: %(count)s.") % {"count": count})
    return redirect("feedback:moderation")
