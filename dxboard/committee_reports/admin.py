from django.contrib import admin

from .models import CommitteeReport, IssuingBody


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):
    """Administrators correct a body's names once; the number series follows the body."""

    list_display = ("name", "symbol", "unit", "place")
    search_fields = ("name", "symbol", "unit__code")


@admin.register(CommitteeReport)
class CommitteeReportAdmin(admin.ModelAdmin):
    """Read-only: reports are drafted and issued through the pages (numbers, frozen files)."""

    list_display = ("subject", "unit", "period", "status", "number", "number_year", "issued_on")
    list_filter = ("status",)
    exclude = ("docx", "pdf", "figures")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
