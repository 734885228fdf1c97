"""Read-only admin of the year's end: changes go through the year-end pages and services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from minsheng.yearend.models import CarryOver, FinalCorrection, FinalResult, YearClose


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(YearClose)
class YearCloseAdmin(ReadOnly):
    list_display = ("plan", "reading_on", "closed_by", "closed_at")


@admin.register(FinalResult)
class FinalResultAdmin(ReadOnly):
    list_display = ("item", "plan", "status", "completion", "ending", "corrected")
    list_filter = ("status", "corrected")


@admin.register(FinalCorrection)
class FinalCorrectionAdmin(ReadOnly):
    list_display = ("result", "reason", "corrected_by", "corrected_at")


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnly):
    list_display = ("origin", "item", "created_by", "created_at")
