from django.contrib import admin

from minsheng.participation.ratings.models import RatingEvent, RatingResult, RectificationTask


@admin.register(RatingEvent)
class RatingEventAdmin(admin.ModelAdmin):
    list_display = ["plan", "status", "opens_at", "closes_at", "threshold"]
    list_filter = ["status"]
    # Changes go through the services (audited); the admin reads.
    readonly_fields = ["plan", "status", "opens_at", "closes_at", "threshold", "created_by", "closed_at"]


@admin.register(RatingResult)
class RatingResultAdmin(admin.ModelAdmin):
    list_display = ["event", "project", "votes", "satisfaction", "unsatisfactory"]
    readonly_fields = [
        "event",
        "project",
        "satisfied",
        "basic",
        "unsatisfied",
        "votes",
        "satisfaction",
        "unsatisfactory",
    ]


@admin.register(RectificationTask)
class RectificationTaskAdmin(admin.ModelAdmin):
    list_display = ["project", "status", "created_at", "closed_at"]
    list_filter = ["status"]
    readonly_fields = ["result", "project", "units", "status", "closed_at"]
