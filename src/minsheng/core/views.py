"""Shared view plumbing: a form that edits one object through one service, plain or with HTMX."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from minsheng.core.exceptions import NotAllowed, ServiceError, ValidationFailed

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The request's user, for views behind LoginRequiredMixin (anonymous users never get here)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return cast("User", request.user)


def form_error(form: forms.Form, error: ServiceError) -> None:
    """Put a service's refusal on the field it names, or on the whole form when the form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@contextmanager
def service_errors_on_form(form: forms.Form) -> Iterator[None]:
    """Around a view's service call and its success response: NotAllowed is a 403; another service error
    lands on the form (form_error) and the view goes on to show the form again."""
    try:
        yield
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        form_error(form, exc)


@contextmanager
def service_errors_as_message(
    request: HttpRequest, wording: Callable[[str], str] | None = None
) -> Iterator[None]:
    """Around a button's service call and its success message: NotAllowed is a 403; another service error
    becomes an error message (worded by `wording` when given) and the view goes on to its redirect."""
    try:
        yield
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        messages.error(request, wording(exc.message) if wording else exc.message)


class ServiceFormView(LoginRequiredMixin, View):
    """GET shows the form, POST calls the service; HTMX requests get fragments instead of pages.

    Subclasses say how to load the object, who may edit it (a policy function), how to build the
    form and which service to call. Service errors land on the form field they name.
    """

    template_name = "core/edit.html"
    display_template: str = ""  # fragment shown after a successful HTMX save or on cancel
    success_message = _("Saved.")

    def get_object(self) -> models.Model:
        raise NotImplementedError

    def allowed(self, obj: models.Model) -> bool:
        raise NotImplementedError

    def make_form(self, obj: models.Model, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def save(self, obj: models.Model, form: forms.Form) -> None:
        raise NotImplementedError

    def success_url(self, obj: models.Model) -> str:
        raise NotImplementedError

    def display_context(self, obj: models.Model) -> dict[str, Any]:
        raise NotImplementedError

    def form_context(self, obj: models.Model) -> dict[str, Any]:
        """Extra context for the form page (heading, dom id, wrapper element)."""
        return {}

    def _object(self) -> models.Model:
        obj = self.get_object()
        if not self.allowed(obj):
            raise PermissionDenied
        return obj

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self._object()
        if request.GET.get("display") and self.display_template:
            return render(request, self.display_template, self.display_context(obj))
        return self._render_form(obj, self.make_form(obj))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self._object()
        form = self.make_form(obj, request.POST)
        if form.is_valid():
            try:
                self.save(obj, form)
            except NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except ValidationFailed as exc:
                form_error(form, exc)
        if not form.is_valid():
            return self._render_form(obj, form)
        if getattr(request, "htmx", False) and self.display_template:
            return render(request, self.display_template, self.display_context(self.get_object()))
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.success_url(obj))

    def _render_form(self, obj: models.Model, form: forms.Form) -> HttpResponse:
        context = {
            "object": obj,
            "form": form,
            "action": self.request.get_full_path(),
            **self.form_context(obj),
        }
        template = self.template_name
        if getattr(self.request, "htmx", False):
            template = f"{template}#form"
        return render(self.request, template, context)
