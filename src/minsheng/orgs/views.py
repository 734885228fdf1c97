"""Units and regions, kept by the supervision office for its region (and by the system administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts import policies as account_policies
from minsheng.accounts.forms import add_service_error
from minsheng.accounts.models import User
from minsheng.core.exceptions import ServiceError
from minsheng.core.views import signed_in_user
from minsheng.orgs.forms import AliasForm, RegionForm, RegionPortalForm, UnitForm
from minsheng.orgs.models import Region, Unit, UnitAlias
from minsheng.orgs.policies import (
    can_add_region_under,
    can_change_unit,
    can_edit_region_portal,
    can_manage_orgs,
)
from minsheng.orgs.services import (
    region_create,
    region_portal_set,
    unit_alias_add,
    unit_alias_remove,
    unit_create,
    unit_rename,
)


def _manager(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not can_manage_orgs(user):
        raise PermissionDenied
    return user


def _scoped(user: User) -> tuple[set[int] | None, object]:
    scope = account_policies.manager_region_ids(user)
    return scope, (Region.objects.all() if scope is None else Region.objects.filter(pk__in=scope))


def _unit(request: HttpRequest, pk: int) -> tuple[User, Unit]:
    user = _manager(request)
    unit = get_object_or_404(Unit.objects.select_related("region"), pk=pk)
    if not can_change_unit(user, unit):
        raise PermissionDenied  # another region's unit: not this office's to see
    return user, unit


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The units of the manager's regions with their aliases, and a form for a new one."""
    user = _manager(request)
    scope, _regions = _scoped(user)
    units = Unit.objects.select_related("region").prefetch_related(Prefetch("aliases"))
    if scope is not None:
        units = units.filter(region_id__in=scope)
    form = UnitForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not account_policies.in_managed_region(user, data["region"].pk):
            raise PermissionDenied
        try:
            unit = unit_create(acting_user=user, name=data["name"], region=data["region"], kind=data["kind"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return HttpResponseRedirect(reverse("orgs:unit_list"))
    return render(
        request, "orgs/unit_list.html", {"units": units.order_by("region__code", "name"), "form": form}
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a unit (its old name stays an alias) and add aliases."""
    user, unit = _unit(request, pk)
    rename = UnitForm(
        user, request.POST if "name" in request.POST else None, creating=False, initial={"name": unit.name}
    )
    alias = AliasForm(request.POST if "alias" in request.POST else None)
    if request.method == "POST":
        try:
            if rename.is_bound and rename.is_valid():
                unit_rename(acting_user=user, unit=unit, name=rename.cleaned_data["name"])
                messages.success(request, _("Renamed."))
                return HttpResponseRedirect(reverse("orgs:unit_edit", args=[unit.pk]))
            if alias.is_bound and alias.is_valid():
                unit_alias_add(acting_user=user, unit=unit, name=alias.cleaned_data["alias"])
                messages.success(request, _("Alias added."))
                return HttpResponseRedirect(reverse("orgs:unit_edit", args=[unit.pk]))
        except ServiceError as exc:
            add_service_error(rename if rename.is_bound else alias, exc)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "orgs/unit_edit.html",
        {"unit": unit, "aliases": unit.aliases.all(), "rename_form": rename, "alias_form": alias},
        status=status,
    )


@login_required
@require_POST
def alias_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    alias = get_object_or_404(UnitAlias.objects.select_related("unit"), pk=pk)
    user, unit = _unit(request, alias.unit_id)
    unit_alias_remove(acting_user=user, alias=alias)
    messages.success(request, _("Alias removed."))
    return HttpResponseRedirect(reverse("orgs:unit_edit", args=[unit.pk]))


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    """The manager's region and those below it, and a form for a new region under one of them."""
    user = _manager(request)
    _scope, regions = _scoped(user)
    form = RegionForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_add_region_under(user, data["parent"]):
            raise PermissionDenied
        try:
            region = region_create(
                acting_user=user, name=data["name"], parent=data["parent"], code=data["code"]
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Region %(name)s created.") % {"name": region.name})
            return HttpResponseRedirect(reverse("orgs:region_list"))
    return render(
        request,
        "orgs/region_list.html",
        {"regions": regions.select_related("parent").order_by("code"), "form": form},  # type: ignore[attr-defined]
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def region_portal(request: HttpRequest, pk: int) -> HttpResponse:
    """The office sets its region's portal footer (主办单位)."""
    user = _manager(request)
    region = get_object_or_404(Region, pk=pk)
    if not can_edit_region_portal(user, region):
        raise Http404  # another district's region: nothing to see
    initial = {"organiser": region.portal_organiser, "note": region.portal_note}
    form = RegionPortalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            region_portal_set(
                acting_user=user,
                region=region,
                organiser=form.cleaned_data["organiser"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Portal footer of %(name)s saved.") % {"name": region.name})
            return HttpResponseRedirect(reverse("orgs:region_list"))
    heading = _("Portal footer of %(name)s") % {"name": region.name}
    return render(request, "accounts/form.html", {"form": form, "heading": heading})
