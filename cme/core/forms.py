"""Form pieces shared by every app: the base form that words every message for this service
(never Django's stock ones), the GOV.UK date input kept as typed when it is wrong, and the
long-text box with its character count. How to use them: docs/forms.md."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from .plain_messages import plain_messages


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
        # The parts are not required one by one: compress() names the missing part in words
        # ("must include a month"), where Django would say "Enter a complete value."
        fields = tuple(forms.CharField(required=False) for _ in range(3))
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


# Long free text (notes, reasons, descriptions): enough for a full account, not a document.
# The page counts down as the officer types (GOV.UK character count); the service refuses more.
LONG_TEXT_MAX = 5000


class LongTextField(forms.CharField):
    """A textarea capped at ``LONG_TEXT_MAX`` characters, rendered with the GOV.UK character
    count by core/includes/field.html. The browser is not told the limit (no ``maxlength``), so
    text pasted over it is kept and the count says by how much, as the Design System asks."""

    def __init__(self, *, rows: int = 4, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT_MAX)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PlainMessagesMixin:
    """Every field's stock Django message ("This field is required.", "Ensure this value has
    at most 100 characters (it has 300).", "Select a valid choice. x is not one of the
    available choices.") replaced by one in plain words built from the field's label, before
    the form is cleaned. A message the form sets itself in ``error_messages`` is kept.

    ``sections`` names the collapsed parts of a page (a details or accordion section) and the
    fields each holds; ``open_sections`` says which hold an error, so the template opens them.
    """

    sections: ClassVar[dict[str, tuple[str, ...]]] = {}
    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            plain_messages(field, name)
        super().full_clean()  # type: ignore[misc]

    @property
    def open_sections(self) -> set[str]:
        errors = getattr(self, "errors", {})
        return {name for name, names in self.sections.items() if any(f in errors for f in names)}


class GovukForm(PlainMessagesMixin, forms.Form):
    """The base of every form in the register (docs/forms.md)."""


class GovukModelForm(PlainMessagesMixin, forms.ModelForm):
    """The same, for a form built from a model."""


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
