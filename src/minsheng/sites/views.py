"""The office's site pages (点位), signs, and the public site page and 民生码 QR codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.orgs.models import Region
from minsheng.plans.choices import PlanStatus
from minsheng.plans.models import Item
from minsheng.plans.selectors import plan_list
from minsheng.sites import geo, policies, qr, selectors, services
from minsheng.sites.forms import SiteForm, UploadForm
from minsheng.sites.models import Boundary, Site, SiteSet
from minsheng.sites.services import SitesImportFailed
from minsheng.sites.sign import sign_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _item(item_id: int) -> Item:
    return get_object_or_404(Item.objects.select_related("project__plan__region"), pk=item_id)


def _error(request: HttpRequest, exc: ServiceError) -> None:
    errors = getattr(exc, "errors", None) or [exc.message]
    for error in errors[:50]:
        messages.error(request, error)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Plans the office manages; for the chosen plan its items with their sites, the region's boundary."""
    user = signed_in_user(request)
    plans = [p for p in plan_list(user) if policies.can_manage_sites(user, p)]
    if not plans:
        raise PermissionDenied
    chosen = request.GET.get("plan", "")
    plan = next((p for p in plans if str(p.pk) == chosen), plans[0])
    boundary = Boundary.objects.filter(region_id=plan.region_id).first()
    context = {
        "plans": plans,
        "plan": plan,
        "items": selectors.plan_items(plan),
        "boundary": boundary,
        "can_boundary": policies.can_manage_boundary(user, plan.region),
        "upload_form": UploadForm(),
    }
    return render(request, "sites/index.html", context)


def _managed_item(request: HttpRequest, item_id: int) -> tuple[Any, Item]:
    user = signed_in_user(request)
    item = _item(item_id)
    if not policies.can_manage_sites(user, item.project.plan):
        raise PermissionDenied
    return user, item


@login_required
def item_sites(request: HttpRequest, item_id: int) -> HttpResponse:
    """An item's sites: the list, a form to add one, a sheet upload, the list's 建设地点, the per-site flag."""
    user, item = _managed_item(request, item_id)
    plan = item.project.plan
    form = SiteForm(plan.region, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.site_save(acting_user=user, item=item, data=form.site_input())
                messages.success(request, _("Site added."))
                return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        status = 400
    context = {
        "item": item,
        "plan": plan,
        "sites": selectors.item_sites(item.pk),
        "per_site": SiteSet.objects.filter(item=item, per_site=True).exists(),
        "places": services.list_places(item),
        "form": form,
        "upload_form": UploadForm(),
    }
    return render(request, "sites/item.html", context, status=status)


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.select_related("item__project__plan__region", "town"), pk=pk)
    user, item = _managed_item(request, site.item_id)
    initial = {
        "name": site.name,
        "town": site.town_id,
        "address": site.address,
        "longitude": site.longitude,
        "latitude": site.latitude,
    }
    form = SiteForm(item.project.plan.region, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.site_save(acting_user=user, item=item, data=form.site_input(), site=site)
                messages.success(request, _("Site saved."))
                return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        status = 400
    return render(request, "sites/site_edit.html", {"site": site, "item": item, "form": form}, status=status)


@login_required
@require_POST
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    user, item = _managed_item(request, site.item_id)
    try:
        services.site_delete(acting_user=user, site=site)
        messages.success(request, _("Site removed."))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))


@login_required
@require_POST
def sites_upload(request: HttpRequest, item_id: int) -> HttpResponse:
    """A sheet of sites: every row or none; the errors name the file, row and column."""
    user, item = _managed_item(request, item_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an .xlsx file of sites."))
        return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))
    upload = form.cleaned_data["file"]
    name = (upload.name or "sites.xlsx").rsplit("/", 1)[-1]
    try:
        if upload.size > services.MAX_XLSX_BYTES:
            raise SitesImportFailed([_("%s: larger than 5 MB.") % name])
        stored = services.sites_import(acting_user=user, item=item, data=upload.read(), name=name)
        messages.success(request, _("%d sites read from the sheet.") % len(stored))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))


@login_required
@require_POST
def sites_from_list(request: HttpRequest, item_id: int) -> HttpResponse:
    user, item = _managed_item(request, item_id)
    try:
        created = services.sites_from_list(acting_user=user, item=item)
        messages.success(request, _("%d sites created from the list's 建设地点.") % len(created))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))


@login_required
@require_POST
def per_site(request: HttpRequest, item_id: int) -> HttpResponse:
    user, item = _managed_item(request, item_id)
    try:
        services.site_set_update(acting_user=user, item=item, per_site=request.POST.get("per_site") == "1")
        messages.success(request, _("Saved."))
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))


@login_required
@require_POST
def boundary_upload(request: HttpRequest, region_id: int) -> HttpResponse:
    """The region's outline as GeoJSON (Polygon or MultiPolygon)."""
    user = signed_in_user(request)
    region = get_object_or_404(Region, pk=region_id)
    if not policies.can_manage_boundary(user, region):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    back = reverse("sites:index") + (
        f"?plan={request.POST['plan']}" if request.POST.get("plan", "").isdigit() else ""
    )
    if not form.is_valid():
        messages.error(request, _("Choose a GeoJSON file."))
        return HttpResponseRedirect(back)
    upload = form.cleaned_data["file"]
    name = (upload.name or "boundary.geojson").rsplit("/", 1)[-1]
    try:
        data = upload.read(geo.MAX_GEOJSON_BYTES + 1)
        services.boundary_upload(acting_user=user, region=region, data=data, name=name)
        messages.success(request, _("Boundary of %s saved.") % region.name)
    except ServiceError as exc:
        _error(request, exc)
    return HttpResponseRedirect(back)


@login_required
@require_safe
def sign(request: HttpRequest, item_id: int) -> HttpResponse:
    """The printable A4 民生码 sign of an item (or of one of its sites: ?site=ID), as of ?on=YYYY-MM-DD."""
    _user, item = _managed_item(request, item_id)
    if item.project.plan.status != PlanStatus.PUBLISHED:
        messages.error(request, _("Publish the plan first: the code opens its public page."))
        return HttpResponseRedirect(reverse("sites:item", args=[item.pk]))
    site = None
    if request.GET.get("site", "").isdigit():
        site = get_object_or_404(Site, pk=int(request.GET["site"]), item=item)
    try:
        on = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else timezone.localdate()
    except ValueError:
        on = timezone.localdate()
    url = qr.site_url(site.pk, request) if site else qr.item_url(item.pk, request)
    content = sign_docx(selectors.sign_data(item, site, on), url)
    response = HttpResponse(content, content_type=DOCX)
    filename = f"minshengma-{item.pk}" + (f"-{site.pk}" if site else "") + ".docx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


# ---------------------------------------------------------------- public


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=86400)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def item_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """民生码 of an item: an SVG QR code of its public page's absolute URL."""
    if not Item.objects.filter(pk=pk, project__plan__status=PlanStatus.PUBLISHED).exists():
        raise Http404
    return _svg(qr.qr_svg(qr.item_url(pk, request)))


@require_safe
def site_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """民生码 of a site: an SVG QR code of its public page's absolute URL."""
    if not Site.objects.filter(pk=pk, item__project__plan__status=PlanStatus.PUBLISHED).exists():
        raise Http404
    return _svg(qr.qr_svg(qr.site_url(pk, request)))


@require_safe
def site_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A site of a published plan: where it is, the item it belongs to, the values approved for it."""
    try:
        view = selectors.public_site(pk)
    except Site.DoesNotExist:
        raise Http404 from None
    response = render(request, "sites/public_site.html", {"view": view})
    if not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=300)
    return response
