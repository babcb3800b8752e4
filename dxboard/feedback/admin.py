from django.contrib import admin

from .models import Category, FieldReport, Holiday, ReportEvent, ReportExtension, ReportNote


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "routing", "agency", "default_severity", "active")
    list_filter = ("routing", "active", "default_severity")
    search_fields = ("code", "name")
    autocomplete_fields = ["agency"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    date_hierarchy = "date"
    search_fields = ("name",)


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "agency", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NoteInline(admin.TabularInline):
    model = ReportNote
    extra = 0
    readonly_fields = ("author", "created_at")


class ExtensionInline(admin.TabularInline):
    model = ReportExtension
    extra = 0
    readonly_fields = ("requested_by", "requested_at", "decided_by", "decided_at")


@admin.register(FieldReport)
class FieldReportAdmin(admin.ModelAdmin):
    """Read-mostly: changes of status go through the handler's page and its services."""

    list_display = ("public_id", "category", "unit", "agency", "status", "created_at", "due_at")
    list_filter = ("status", "severity", "category")
    search_fields = ("public_id", "tracking_code", "description")
    date_hierarchy = "created_at"
    readonly_fields = (
        "public_id",
        "tracking_code",
        "status",
        "accepted_at",
        "initial_due_at",
        "due_at",
        "resolved_at",
        "closed_at",
        "rating",
        "rated_at",
        "created_at",
    )
    raw_id_fields = ("unit", "agency", "submitted_by")
    inlines = [NoteInline, ExtensionInline, EventInline]
