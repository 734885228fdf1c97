"""Read-mostly admin for progress data; changes go through the pages and services (with history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from minsheng.progress.models import (
    Evidence,
    ExtensionRequest,
    ItemOutcome,
    Period,
    PeriodSnapshot,
    ProgressReport,
    ReportingSettings,
    ReportRevision,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows; edits would bypass the services' history and audit, so they are off."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(ReadOnlyAdmin):
    list_display = ("plan", "cycle", "deadline_day", "lag_threshold", "severe_threshold", "approx_tolerance")


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "start", "end", "deadline", "closed_at")
    list_filter = ("plan",)


class RevisionInline(admin.TabularInline):
    model = ReportRevision
    extra = 0
    can_delete = False
    readonly_fields = ("version", "action", "actor_name", "at", "before", "after", "comment")
    fields = readonly_fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("item", "period", "unit", "status", "version", "submitted_at", "reviewed_at")
    list_filter = ("status", "period__plan")
    search_fields = ("item__text", "progress")
    inlines = (RevisionInline,)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_by", "uploaded_at")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("target", "unit", "original_due_date", "requested_due_date", "status", "decided_at")
    list_filter = ("status",)


@admin.register(ItemOutcome)
class ItemOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("item", "kind", "ended_on", "decided_by")


@admin.register(PeriodSnapshot)
class PeriodSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("period", "item", "status", "completion", "expected", "taken_at")
    list_filter = ("period__plan", "status")
