"""Form pieces shared by every app: the GOV.UK date input, kept as typed when it is wrong."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year in three boxes, as the GOV.UK date input pattern asks."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return ["", "", ""]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        # Each part optional, so a date with a part missing reaches `compress`, which names the
        # part, rather than Django's stock "Enter a complete value."
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(p.strip() for p in data_list if p):
            return None
        day, month, year = (p.strip() if p else "" for p in data_list)
        label = (self.label or "The date").capitalize()
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{label} must be a real date, like 27 3 2017")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: next to the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class FastSelect(forms.Select):
    """A select that renders its options in Python, not one template per option.

    The register's filters list every school and key worker: Django's per-option templates
    cost tens of milliseconds for a few hundred options; this costs well under one.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> Any:
        from django.forms.utils import flatatt
        from django.utils.html import escape, format_html
        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, attrs or {})
        final["name"] = name
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        options = "".join(
            f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for v, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308 - every part escaped above


# The shape of a UK postcode (outward code, optional space, inward code), after upper-casing.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
POSTCODE_ERROR = "Enter a real postcode, like L1 1JQ"


class UKPostcodeField(forms.CharField):
    """A postcode, upper-cased with single spaces; a wrong one is kept as typed with a message."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("error_messages", {}).setdefault("max_length", POSTCODE_ERROR)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        postcode = " ".join(str(super().clean(value)).upper().split())
        if postcode and not POSTCODE.match(postcode):
            raise ValidationError(POSTCODE_ERROR)
        return postcode
