from django.contrib import admin

from minsheng.participation.assessment.models import Assessment, UnitScore


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("plan", "computed_at", "computed_on")


@admin.register(UnitScore)
class UnitScoreAdmin(admin.ModelAdmin):
    list_display = ("assessment", "unit", "total", "rank")
