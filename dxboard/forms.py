"""Form pieces shared by every app's pages. Forms only parse input; services save."""

from __future__ import annotations

from django import forms

from dxboard.errors import ServiceError

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrorsMixin:
    """Shows a service's refusal on the form: each detail on the field its path names
    (through `service_error_fields` where the service's name differs), else above it."""

    service_error_fields: dict[str, str] = {}

    def add_service_error(self, error: ServiceError) -> None:
        placed = False
        for detail in error.details:
            field = self.service_error_fields.get(detail.path, detail.path)
            if field in self.fields:
                self.add_error(field, detail.message)
                placed = True
        if not placed:
            self.add_error(None, error.message)


class BootstrapForm(ServiceErrorsMixin, forms.Form):
    """Adds Bootstrap classes to every widget, and marks fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
