from django.contrib import admin

from minsheng.participation.feedback.models import PublicRating


@admin.register(PublicRating)
class PublicRatingAdmin(admin.ModelAdmin):
    list_display = ("item", "period", "score", "channel", "comment_status", "created_at")
    list_filter = ("channel", "comment_status")
    readonly_fields = ("rater_key",)
