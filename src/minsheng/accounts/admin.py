from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "unit", "region", "is_active", "is_staff"]
    list_filter = [*BaseUserAdmin.list_filter, "region"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit", "region"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Minsheng"), {"fields": ("unit", "region")}),
    )
