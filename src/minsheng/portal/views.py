"""Public portal pages: no sign-in, approved values only, no personal data, cache-friendly."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from minsheng.interchange.exporters.services import plan_file
from minsheng.orgs.models import Region
from minsheng.plans.models import Item, Plan
from minsheng.portal import selectors
from minsheng.portal.policies import is_public_photo, is_public_plan
from minsheng.progress.models import Evidence

MAX_AGE = 300  # seconds: approvals show within five minutes


def _etag(plan_ids: Callable[[HttpRequest, Any], list[int]]) -> Callable[..., str]:
    """An ETag from the last change of the plans shown, the day (lights move with the schedule) and the language."""

    def etag(request: HttpRequest, **kwargs: Any) -> str:
        ids = plan_ids(request, kwargs)
        stamp = selectors.last_change(ids)
        key = f"{ids}|{stamp}|{timezone.localdate()}|{get_language()}|{request.user.is_authenticated}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    return etag


def _public(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _home_plans(request: HttpRequest, kwargs: dict[str, Any]) -> list[int]:
    return list(selectors.published_plans().values_list("pk", flat=True))


def _plan_ids(request: HttpRequest, kwargs: dict[str, Any]) -> list[int]:
    return [kwargs["pk"]]


def _item_plan(request: HttpRequest, kwargs: dict[str, Any]) -> list[int]:
    return list(Item.objects.filter(pk=kwargs["pk"]).values_list("project__plan_id", flat=True))


@require_safe
@condition(etag_func=_etag(_home_plans))
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
    return _public(render(request, "portal/home.html", context), request)


@require_safe
@condition(etag_func=_etag(_plan_ids))
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One published plan (any year): projects with their items, lights and progress bars."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not is_public_plan(plan):
        raise Http404
    context = {"view": selectors.plan_overview(plan)}
    return _public(render(request, "portal/plan.html", context), request)


@require_safe
@condition(etag_func=_etag(_item_plan))
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: promised vs reached, milestones, lead unit, photos and a short timeline."""
    try:
        detail = selectors.public_item(pk)
    except Item.DoesNotExist:
        raise Http404 from None
    return _public(render(request, "portal/item.html", {"detail": detail}), request)


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
@condition(etag_func=_etag(_plan_ids))
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A published plan as the official attachment (.docx/.xlsx) or as open data (.csv/.json)."""
    plan = get_object_or_404(Plan.objects.select_related("region"), pk=pk)
    if not is_public_plan(plan) or fmt not in PUBLIC_FORMATS:
        raise Http404
    exported = plan_file(plan, fmt)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename) or "attachment"
    return _public(response, request)
