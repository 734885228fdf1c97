"""Django admin (system administrator only): events, read-only. Ballots and participations are not
registered, so no admin page can be used to set one beside the other."""

from django.contrib import admin

from minsheng.participation.voting.models import VoteEvent


@admin.register(VoteEvent)
class VoteEventAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "year", "status", "opens_at", "closes_at")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
