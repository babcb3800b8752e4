"""Django admin for report forms: how province officers define forms, fields, who reports,
deadlines and rules. Submissions are read-only here: they change through the workflow."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    FormAssignment,
    FormField,
    FormPeriod,
    FormSection,
    ReportForm,
    Submission,
    SubmissionEvent,
    ValidationRule,
)


class FormSectionInline(admin.TabularInline):
    model = FormSection
    extra = 0


class FormAssignmentInline(admin.TabularInline):
    model = FormAssignment
    extra = 0
    autocomplete_fields = ["unit"]


class ValidationRuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


class FormPeriodInline(admin.TabularInline):
    model = FormPeriod
    extra = 0
    fields = ("period", "state", "deadline")


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "period_type", "owner_unit", "active")
    list_filter = ("period_type", "active")
    search_fields = ("code", "name")
    inlines = [FormSectionInline, FormAssignmentInline, ValidationRuleInline, FormPeriodInline]


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0
    fields = ("data_element", "order", "required", "label")
    raw_id_fields = ["data_element"]


@admin.register(FormSection)
class FormSectionAdmin(admin.ModelAdmin):
    list_display = ("title", "form", "order")
    list_filter = ("form",)
    inlines = [FormFieldInline]


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "user", "from_status", "to_status", "note", "source")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("form", "unit", "period", "status", "first_submitted_at")
    list_filter = ("status", "form")
    search_fields = ("unit__code", "unit__name", "period")
    inlines = [SubmissionEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
