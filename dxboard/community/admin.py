from django.contrib import admin

from .models import Activity, Member, Team


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "status", "founded_on")
    list_filter = ("status",)
    search_fields = ("name", "unit__name", "unit__code")
    raw_id_fields = ("unit",)
    inlines = [MemberInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("team", "date", "kind", "people_helped")
    list_filter = ("kind",)
    raw_id_fields = ("team",)
