"""Sites in Django admin (the system administrator's): read mostly; the office works on its own pages."""

from django.contrib import admin

from minsheng.sites.models import Boundary, PhotoCheck, Site, SiteSet


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "item", "town", "longitude", "latitude")
    list_select_related = ("item", "town")
    search_fields = ("name", "address")
    raw_id_fields = ("item", "town")


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
