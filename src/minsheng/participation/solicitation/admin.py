"""Django admin (system administrator only): read-only lists; the proposer's contact is not shown."""

from django.contrib import admin

from minsheng.participation.solicitation.models import Candidate, Solicitation


@admin.register(Solicitation)
class SolicitationAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year", "opens_at", "closes_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("title", "solicitation", "position", "category")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
