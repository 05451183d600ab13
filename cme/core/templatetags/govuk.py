"""Template filters that render Django form fields in the GOV.UK Design System's markup."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from cme.core.forms import GovukDateWidget

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.filter
def choice_count(field: BoundField) -> int:
    return len(getattr(field.field, "choices", []))


@register.filter
def date_parts(field: BoundField) -> list[tuple[Any, str, int]]:
    """The day, month and year as typed (kept when the date is wrong), with labels and widths."""
    value = field.value()
    if isinstance(value, list | tuple):
        parts = list(value) + [""] * (3 - len(value))
    elif value:
        parts = [value.day, value.month, value.year] if hasattr(value, "day") else ["", "", ""]
    else:
        parts = ["", "", ""]
    return [(parts[0], "Day", 2), (parts[1], "Month", 2), (parts[2], "Year", 4)]


@register.filter
def add_class(field: BoundField, css: str) -> SafeString:
    classes = css + (" " + css + "--error" if field.errors else "")
    attrs: dict[str, Any] = {"class": classes}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
