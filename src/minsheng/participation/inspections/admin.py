from django.contrib import admin

from minsheng.participation.inspections.models import Inspection, Question


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["visited_on", "deputy", "plan", "public"]
    list_filter = ["public"]
    # Changes go through the services (audited); the admin reads.
    readonly_fields = ["plan", "deputy", "visited_on", "items", "findings", "public"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["item", "unit", "deputy", "created_at", "answered_at"]
    readonly_fields = ["item", "unit", "deputy", "text", "answer", "answered_by", "answered_at"]
