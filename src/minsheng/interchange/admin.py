from django.contrib import admin

from minsheng.interchange.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source_name", "region", "year", "status", "plan", "created_by", "created_at"]
    list_filter = ["status", "year"]
    search_fields = ["source_name", "title"]
    list_select_related = ["region", "plan", "created_by"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
