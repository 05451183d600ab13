"""A school named by its URN, for any form that needs one (the GIAS list has ~50,000)."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Establishment


class SchoolUrnField(forms.CharField):
    """Typed as the school's URN (6 digits, as on Get Information about Schools); cleaned to
    the Establishment. A URN no school has is refused by name, never silently dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text", "The school's 6-digit URN, as on Get Information about Schools"
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def prepare_value(self, value: Any) -> Any:
        return value.urn if isinstance(value, Establishment) else value

    def clean(self, value: Any) -> Establishment | None:
        text = super().clean(value).strip()
        if not text:
            return None
        if not text.isdigit() or len(text) != 6:
            raise forms.ValidationError(
                "Enter the school's URN as 6 digits, like 104567", code="invalid"
            )
        school = Establishment.objects.filter(urn=int(text)).first()
        if school is None:
            raise forms.ValidationError(f"No school has the URN {text}. Check it and try again")
        return school
