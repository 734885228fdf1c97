"""Read-only admin of the year's end: changes go through the year-end pages and services (audited)."""

from __future__ import annotations

from django.contrib import admin

from minsheng.progress.admin import ReadOnlyAdmin
from minsheng.yearend.models import CarryOver, FinalCorrection, FinalResult, YearClose


@admin.register(YearClose)
class YearCloseAdmin(ReadOnlyAdmin):
    list_display = ("plan", "reading_on", "closed_by", "closed_at")


@admin.register(FinalResult)
class FinalResultAdmin(ReadOnlyAdmin):
    list_display = ("item", "plan", "status", "completion", "ending", "corrected")
    list_filter = ("status", "corrected")


@admin.register(FinalCorrection)
class FinalCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("result", "reason", "corrected_by", "corrected_at")


@admin.register(CarryOver)
class CarryOverAdmin(ReadOnlyAdmin):
    list_display = ("origin", "item", "created_by", "created_at")
