"""Template filters that render Django form fields in the GOV.UK Design System's markup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import timezone
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
def error_anchor(field: BoundField) -> str:
    """The id the error summary links to: the field's input, or the first of its radios,
    checkboxes or date parts (which is what the GOV.UK error summary asks for)."""
    if widget_kind(field) in {"radios", "checkboxes", "date"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id or field.html_name)


@register.filter
def character_limit(field: BoundField) -> int | None:
    """A textarea's limit, shown by the GOV.UK character count; None for other fields."""
    if widget_kind(field) != "textarea":
        return None
    limit = getattr(field.field, "max_length", None)
    return int(limit) if limit else None


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
    counted = character_limit(field) is not None
    if counted:
        classes += " govuk-js-character-count"
    attrs: dict[str, Any] = {"class": classes}
    described = []
    if counted:
        described.append(f"{field.auto_id}-info")
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def lookup(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]`` in a template (None when absent), e.g. the form for this row."""
    return (mapping or {}).get(key)


@register.filter
def thousands(number: int | None) -> str:
    """5000 as "5,000", as GOV.UK writes numbers."""
    return "" if number is None else f"{number:,}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@register.filter
def govuk_date(value: Any, fallback: str = "") -> str:
    """A date as GOV.UK writes it, "3 April 2014": from a date, a datetime (in local time) or
    an ISO string (as a referral's JSON keeps it). Anything else is the fallback."""
    found = _as_date(value)
    return f"{found.day} {found:%B %Y}" if found else fallback


@register.filter
def govuk_datetime(value: Any, fallback: str = "") -> str:
    """A moment as GOV.UK writes it, "3 April 2014 at 2:05pm", in local time."""
    if not isinstance(value, datetime):
        return fallback
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    moment = "midday" if (local.hour, local.minute) == (12, 0) else f"{hour}:{local:%M}{suffix}"
    if (local.hour, local.minute) == (0, 0):
        moment = "midnight"
    return f"{local.day} {local:%B %Y} at {moment}"
