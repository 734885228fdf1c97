from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import SignInLock, User
from minsheng.accounts.policies import admin_role_conflict
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record


class AuditedAdminMixin:
    """Every change made in Django admin also goes to the audit trail, in the same transaction.

    Django admin calls these three methods for every addition, change (including password changes)
    and deletion (including the bulk action); the audit row carries admin's own change message.
    """

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_record(actor=request.user, action=Action.CREATE, obj=obj, message=f"admin: {message}")  # type: ignore[arg-type]
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit_record(actor=request.user, action=Action.UPDATE, obj=obj, message=f"admin: {message}")  # type: ignore[arg-type]
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            audit_record(actor=request.user, action=Action.DELETE, obj=obj, message="admin: deleted")  # type: ignore[arg-type]
        return super().log_deletions(request, queryset)  # type: ignore[misc]


def audit_every_admin(site: admin.AdminSite) -> None:
    """Give every registered ModelAdmin the audit mixin (called once the admin modules are loaded)."""
    for model_admin in site._registry.values():
        cls = type(model_admin)
        if not issubclass(cls, AuditedAdminMixin):
            model_admin.__class__ = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {})


class AccountChangeForm(UserChangeForm):
    """Refuses two administrator roles on one account here too (三权分立)."""

    def clean_groups(self) -> Any:
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            conflict = admin_role_conflict([g.name for g in groups])
            if conflict:
                raise forms.ValidationError(
                    _("One account cannot hold two administrator roles (%(roles)s).")
                    % {"roles": ", ".join(conflict)}
                )
        return groups


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountChangeForm
    list_display = ["username", "first_name", "last_name", "unit", "region", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "region"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Minsheng"), {"fields": ("unit", "region", "password_changed_at")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Staff and superuser flags follow the roles (the service sets them); only a superuser sets them here.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_staff", "is_superuser", "user_permissions"]
        return readonly


@admin.register(SignInLock)
class SignInLockAdmin(admin.ModelAdmin):
    list_display = ["kind", "key", "since", "until"]
    list_filter = ["kind"]
    search_fields = ["key"]
