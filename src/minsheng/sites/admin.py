"""Sites in Django admin (the system administrator's): read mostly; the office works on its own pages."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from minsheng.progress.models import Evidence
from minsheng.progress.services import reports_touch
from minsheng.sites.models import Boundary, PhotoCheck, Site, SiteSet
from minsheng.sites.services import site_reports_touch


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "item", "town", "longitude", "latitude")
    list_select_related = ("item", "town")
    search_fields = ("name", "address")
    raw_id_fields = ("item", "town")

    # The review queue cards list the values per site by site name: a site renamed or removed here
    # touches the reports whose values name it, as `site_save` and `site_delete` do.
    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        if change:
            site_reports_touch(Site.objects.filter(pk=obj.pk))  # of the item it was under
        super().save_model(request, obj, form, change)
        site_reports_touch(Site.objects.filter(pk=obj.pk))

    def delete_model(self, request: HttpRequest, obj: Site) -> None:
        site_reports_touch(Site.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Site]) -> None:
        site_reports_touch(queryset)
        super().delete_queryset(request, queryset)


@admin.register(SiteSet)
class SiteSetAdmin(admin.ModelAdmin):
    list_display = ("item", "per_site")
    raw_id_fields = ("item",)


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    list_display = ("region", "source_name", "updated_at")
    exclude = ("polygons",)  # thousands of positions: not an edit field
    raw_id_fields = ("region", "uploaded_by")


@admin.register(PhotoCheck)
class PhotoCheckAdmin(admin.ModelAdmin):
    list_display = ("evidence", "taken_at", "latitude", "longitude", "flags")
    raw_id_fields = ("evidence", "duplicate_of")

    # A check edited or removed here changes its report's review queue card: the report is touched in
    # the admin's transaction (on an edit, the report of the photo it checked before and of the one now).
    def save_model(self, request: HttpRequest, obj: PhotoCheck, form: Any, change: bool) -> None:
        evidence_ids = {obj.evidence_id}
        if change:
            evidence_ids |= set(PhotoCheck.objects.filter(pk=obj.pk).values_list("evidence_id", flat=True))
        super().save_model(request, obj, form, change)
        reports_touch(Evidence.objects.filter(pk__in=evidence_ids).values("report_id"))

    def delete_model(self, request: HttpRequest, obj: PhotoCheck) -> None:
        reports_touch(Evidence.objects.filter(pk=obj.evidence_id).values("report_id"))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PhotoCheck]) -> None:
        reports_touch(Evidence.objects.filter(photo_check__in=queryset).values("report_id"))
        super().delete_queryset(request, queryset)
