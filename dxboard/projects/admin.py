from django.contrib import admin

from .models import Item, ItemDocument, ItemUpdate, Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "year_from", "year_to", "owner_unit")
    raw_id_fields = ("owner_unit",)


class DocumentInline(admin.TabularInline):
    model = ItemDocument
    extra = 0


class UpdateInline(admin.TabularInline):
    model = ItemUpdate
    extra = 0
    readonly_fields = ("at", "user", "old_status", "new_status", "old_progress", "new_progress")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plan", "lead_agency", "deadline", "status", "progress")
    list_filter = ("status", "kind", "plan")
    search_fields = ("code", "name")
    raw_id_fields = ("lead_agency", "plan")
    filter_horizontal = ("coordinating_agencies",)
    inlines = [DocumentInline, UpdateInline]
