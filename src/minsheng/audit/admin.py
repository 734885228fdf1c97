from django.contrib import admin
from django.http import HttpRequest

from minsheng.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by services only."""

    list_display = ["time", "actor_name", "action", "object_type", "object_repr", "plan", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "message", "request_id"]
    date_hierarchy = "time"
    list_select_related = ["plan"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
