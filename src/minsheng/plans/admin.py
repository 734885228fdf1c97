from django.contrib import admin

from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ["no", "name", "alias", "category", "starred", "position"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "year", "status", "updated_at"]
    list_filter = ["status", "year", "region"]
    search_fields = ["title"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ProjectInline]


class ItemInline(admin.StackedInline):
    model = Item
    fields = ["position", "text", "extra"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["no", "name", "alias", "plan"]
    list_filter = ["plan"]
    search_fields = ["name", "alias"]
    list_select_related = ["plan"]
    inlines = [ItemInline]


class ItemUnitInline(admin.TabularInline):
    model = ItemUnit
    fields = ["role", "position", "unit", "written_as"]
    autocomplete_fields = ["unit"]
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["position", "quote", "value", "unit", "op", "baseline", "range_max", "due_date"]
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["position", "quote", "subject", "state", "due_date"]
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "position"]
    list_filter = ["project__plan"]
    search_fields = ["text"]
    list_select_related = ["project"]
    inlines = [ItemUnitInline, TargetInline, MilestoneInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["quote", "value", "unit", "op", "due_date", "item"]
    list_filter = ["op", "item__project__plan"]
    search_fields = ["quote", "unit"]
    list_select_related = ["item"]
