"""The shared form pattern: messages in plain words, never Django's stock ones (docs/forms.md)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from typing import Any, ClassVar

import pytest
from django import forms
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField

import cme
from cme.accounts.models import User
from cme.core.forms import (
    LONG_TEXT_MAX,
    GovukDateField,
    GovukForm,
    LongTextField,
    PlainMessagesMixin,
)
from cme.core.plain_messages import plain_messages, the_thing


class Example(GovukForm):
    first = forms.CharField(label="Child's first name", max_length=100)
    middle = forms.CharField(label="Middle names (optional)", max_length=5, required=False)
    upn = forms.CharField(label="UPN", max_length=13)
    own = forms.CharField(label="Your name")
    sex = forms.ChoiceField(label="Sex", choices=[("f", "Female"), ("m", "Male")])
    age = forms.IntegerField(label="Age from", min_value=0, max_value=25)
    email = forms.EmailField(label="Email address", required=False)
    born = GovukDateField(label="Date of birth")
    set_here = forms.CharField(label="Why?", error_messages={"required": "Say why"})
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = LongTextField(label="Update")
    school = ModelChoiceField(label="School", queryset=User.objects.none(), required=False)
    sections: ClassVar[dict[str, tuple[str, ...]]] = {
        "more": ("note",),
        "names": ("first", "middle"),
    }


def errors_for(data: dict[str, Any]) -> dict[str, list[str]]:
    form = Example(data)
    form.is_valid()
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def test_required_fields_say_what_to_do() -> None:
    errors = errors_for({})
    assert errors["first"] == ["Enter the child's first name"]
    assert errors["upn"] == ["Enter the UPN"]
    assert errors["own"] == ["Enter your name"]
    assert errors["sex"] == ["Select the sex"]
    assert errors["born"] == ["Enter the date of birth"]
    assert errors["set_here"] == ["Say why"]  # the form's own words are kept
    assert errors["version"] == [
        "The page was out of date or incomplete. Go back, reload the page and try again"
    ]
    assert errors["note"] == ["Enter the update"]


@pytest.mark.django_db
def test_limits_and_kinds_in_plain_words() -> None:
    errors = errors_for(
        {
            "first": "x" * 300,
            "middle": "abcdefgh",
            "sex": "checking",
            "age": "eleven",
            "email": "not an email",
            "born_0": "3",
            "born_1": "",
            "born_2": "2014",
            "note": "y" * (LONG_TEXT_MAX + 1),
            "school": "999999",
        }
    )
    assert errors["first"] == ["Child's first name must be 100 characters or fewer"]
    assert errors["middle"] == ["Middle names must be 5 characters or fewer"]
    assert errors["sex"] == [
        "The choice sent is not one of those available now, perhaps because the page was out "
        "of date. Select the sex from the choices shown"
    ]
    assert errors["age"] == ["Age from must be a whole number"]
    assert errors["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]
    assert errors["born"] == ["Date of birth must include a month"]
    assert errors["note"] == ["Update must be 5,000 characters or fewer"]
    assert errors["school"][0].startswith("The choice sent is not one of those available now")
    assert errors_for({"age": "30"})["age"] == ["Age from must be 25 or less"]
    assert errors_for({"age": "-1"})["age"] == ["Age from must be 0 or more"]


def test_the_thing_reads_as_the_object_of_a_sentence() -> None:
    def thing(label: str) -> str:
        return the_thing(forms.CharField(label=label))

    assert thing("Postcode") == "the postcode"
    assert thing("Unique pupil number (UPN)") == "the unique pupil number (UPN)"
    assert thing("PAEWS officer") == "the PAEWS officer"
    assert thing("Your name (optional)") == "your name"
    assert thing("How old are they?") == "an answer"


def test_a_field_without_a_label_is_named_from_its_name() -> None:
    field = forms.CharField()
    plain_messages(field, "town_or_city")
    assert field.error_messages["required"] == "Enter the town or city"


def test_a_long_text_box_has_no_browser_limit_so_the_count_can_show_the_excess() -> None:
    form = Example()
    html = str(form["note"])
    assert "maxlength" not in html
    assert form.fields["note"].max_length == LONG_TEXT_MAX  # type: ignore[attr-defined]


def test_open_sections_name_the_sections_holding_an_error() -> None:
    form = Example({"first": "Ann", "upn": "A", "own": "B", "sex": "f", "age": "3"})
    form.is_valid()
    assert form.open_sections == {"more"}


def test_a_partly_typed_date_names_the_missing_part_not_a_complete_value() -> None:
    class Dated(GovukForm):
        on = GovukDateField(label="Date received")

    form = Dated({"on_0": "", "on_1": "4", "on_2": ""})
    assert not form.is_valid()
    assert form.errors["on"] == ["Date received must include a day and year"]
    form = Dated({"on_0": "3", "on_1": "4", "on_2": "2014"})
    assert form.is_valid() and form.cleaned_data["on"] == date(2014, 4, 3)


# --- every form in the register follows the pattern --------------------------------------


def _stock_messages() -> set[str]:
    """Every message Django's form fields and validators give by default."""
    kinds: list[type[Any]] = [ModelChoiceField, ModelMultipleChoiceField]
    stack: list[type[Any]] = [forms.Field]
    while stack:
        kind = stack.pop()
        kinds.append(kind)
        stack.extend(kind.__subclasses__())
    found = set()
    for kind in kinds:
        for text in vars(kind).get("default_error_messages", {}).values():
            if str(text):  # a file name's limit has no default words
                found.add(str(text))
    return found


def _register_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(cme.__path__, "cme."):
        name = module.name
        if ".migrations" in name or name.startswith(("cme.settings", "cme.wsgi", "cme.gunicorn")):
            continue
        if name.rsplit(".", 1)[-1] in {"forms", "public_forms", "second_factor", "views"}:
            importlib.import_module(name)
    found, stack = [], list(forms.BaseForm.__subclasses__())
    while stack:
        kind = stack.pop()
        stack.extend(kind.__subclasses__())
        if kind.__module__.startswith("cme.") and kind.__module__ != "cme.core.forms":
            found.append(kind)
    return found


def test_every_register_form_uses_the_shared_base() -> None:
    found = _register_forms()
    assert len(found) > 20
    outside = [
        f"{k.__module__}.{k.__name__}" for k in found if not issubclass(k, PlainMessagesMixin)
    ]
    assert outside == []


def test_no_register_form_field_keeps_a_stock_message_or_a_vague_one() -> None:
    stock = _stock_messages()
    problems = []
    for kind in _register_forms():
        for name, base in getattr(kind, "base_fields", {}).items():
            field = base.__deepcopy__({})
            plain_messages(field, name)
            for code, text in field.error_messages.items():
                if str(text) in stock:
                    problems.append(f"{kind.__name__}.{name}: {code}: {text}")
            # A question has no noun to name: its form must say what to do in its own words.
            if field.required and str(field.error_messages["required"]) in {
                "Enter an answer",
                "Select an answer",
            }:
                problems.append(f"{kind.__name__}.{name}: needs its own 'required' message")
    assert problems == []
