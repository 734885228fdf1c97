"""Public portal pages: no sign-in, approved values only, no personal data, cache-friendly."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from minsheng.interchange.exporters.services import plan_file
from minsheng.orgs.models import Region
from minsheng.plans.models import Item, Plan
from minsheng.portal import selectors
from minsheng.portal.cache import public_page
from minsheng.portal.policies import is_public_photo, is_public_plan
from minsheng.progress.models import Evidence


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    """A region's current year (its own latest published list) with its projects and earlier years; with
    several regions, a chooser (`?region=ID` picks one)."""
    region_id = _int(request.GET.get("region"))
    try:
        page = selectors.front_page(region_id)
    except Region.DoesNotExist:
        raise Http404 from None
    context = {
        "page": page,
        "current": page.current,
        "earlier": page.earlier,
        "current_year": page.current_year,
    }
    return render(request, "portal/home.html", context)


@require_safe
@public_page
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One published plan (any year): projects with their items, lights and progress bars."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not is_public_plan(plan):
        raise Http404
    context = {"view": selectors.plan_overview(plan)}
    return render(request, "portal/plan.html", context)


@require_safe
@public_page
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: promised vs reached, milestones, lead unit, photos and a short timeline."""
    try:
        detail = selectors.public_item(pk)
    except Item.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/item.html", {"detail": detail})


@require_safe
def photo(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """The metadata-free copy (or its thumbnail) of an approved photo."""
    if size not in ("thumb", "full"):
        raise Http404
    try:
        evidence = selectors.public_photo(pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    if not is_public_photo(evidence):
        raise Http404
    field = evidence.thumbnail if size == "thumb" and evidence.thumbnail else evidence.public_copy
    content_type = "image/jpeg" if field is evidence.thumbnail else evidence.content_type
    response = FileResponse(field.open("rb"), content_type=content_type)
    patch_cache_control(response, public=True, max_age=86400)
    return response


PUBLIC_FORMATS = ("docx", "xlsx", "csv", "open-json")


@require_safe
@public_page
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A published plan as the official attachment (.docx/.xlsx) or as open data (.csv/.json)."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not is_public_plan(plan) or fmt not in PUBLIC_FORMATS:
        raise Http404
    exported = plan_file(plan, fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename) or "attachment"
    return response


# 适老化: large type and high contrast, kept in a cookie. Pages stay the same for everyone (they are
# cached); a per-visitor stylesheet (`display_css`) carries the difference, so no script is needed.
DISPLAY_COOKIE = "minsheng_display"
DISPLAY_MODES = ("large", "standard")


@require_safe
def display_mode(request: HttpRequest) -> HttpResponse:
    """Switch the large-font, high-contrast mode on (`?mode=large`) or off, then go back to `next`."""
    mode = request.GET.get("mode", "")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if mode == "large":
        response.set_cookie(
            DISPLAY_COOKIE,
            "large",
            max_age=365 * 86400,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    elif mode == "standard":
        response.delete_cookie(DISPLAY_COOKIE, samesite="Lax")
    return response


@require_safe
def display_css(request: HttpRequest) -> HttpResponse:
    """The visitor's display stylesheet: the large-font, high-contrast rules when chosen, else empty."""
    large = request.COOKIES.get(DISPLAY_COOKIE) == "large"
    body = render_to_string("portal/large.css") if large else "/* standard display */\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response
