from django.contrib import admin

from .models import Unit, UnitGroup, UnitSuccession


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", "official")
    search_fields = ("code", "name", "search_name")
    autocomplete_fields = ["parent"]


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "owner_unit")
    filter_horizontal = ("units",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on")
