"""Error messages in plain words, built from a field's label, in place of Django's stock ones.

The wording follows the GOV.UK Design System's error message patterns: say what to do ("Enter
the child's first name", "Select the school"), name the limit ("Last name must be 100
characters or fewer"), never blame the user and never show a value the system could not read.
A message the form sets itself is left alone: this only replaces the stock ones.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.utils import pretty_name

# Words that already make a noun phrase definite: "Enter your name", not "Enter the your name".
DETERMINERS = ("the ", "a ", "an ", "your ", "their ", "its ", "this ", "that ", "any ", "each ")
OPTIONAL = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)

# A choice the page offered but the register no longer does: usually the same record was
# changed in another tab or by someone else after the page was opened.
STALE_CHOICE = (
    "The choice sent is not one of those available now, perhaps because the page was out of "
    "date. {select} from the choices shown"
)
HIDDEN = "The page was out of date or incomplete. Go back, reload the page and try again"
EMAIL = "Enter an email address in the correct format, like name@example.com"
URL = "Enter a web address in the correct format, like https://www.example.gov.uk"


def _label(field: forms.Field) -> str:
    """The label without "(optional)", as the start of a sentence. Django formats some
    messages with ``%`` and its params, others not, so a literal ``%`` is spelt out."""
    return OPTIONAL.sub("", str(field.label or "")).strip().replace("%", " per cent")


def is_question(field: forms.Field) -> bool:
    return _label(field).endswith("?")


def the_thing(field: forms.Field) -> str:
    """The label as the object of a sentence: "Child's first name" -> "the child's first name".

    An acronym keeps its capitals ("UPN"); a question has no noun to name ("an answer").
    """
    label = _label(field)
    if not label or label.endswith("?"):
        return "an answer"
    first = label.split()[0]
    if not (len(first) > 1 and first.isupper()):
        label = label[0].lower() + label[1:]
    if not label.lower().startswith(DETERMINERS):
        label = "the " + label
    return label


def _subject(field: forms.Field) -> str:
    """The label as the subject of a sentence: "Last name must be ...", "Your answer must be"."""
    label = _label(field)
    if not label or label.endswith("?"):
        return "Your answer"
    return label


def _is_choice(field: forms.Field) -> bool:
    widget = field.widget
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def _stock(field: forms.Field) -> dict[str, str]:
    """Django's own messages for this kind of field, from its classes' defaults."""
    stock: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        stock.update({k: str(v) for k, v in vars(cls).get("default_error_messages", {}).items()})
    return stock


def _required(field: forms.Field) -> str:
    if isinstance(field.widget, forms.HiddenInput):
        return HIDDEN
    if isinstance(field, forms.FileField):
        return f"Select {the_thing(field)}" if not is_question(field) else "Select a file"
    if isinstance(field, forms.BooleanField):
        return f"Select the box to confirm: {_subject(field)}"
    verb = "Select" if _is_choice(field) else "Enter"
    return f"{verb} {the_thing(field)}"


def _limits(field: forms.Field) -> dict[str, str]:
    """Messages for the limits Django's validators check, which it words itself."""
    subject = _subject(field)
    found: dict[str, str] = {
        "null_characters_not_allowed": (
            f"{subject} contains a character the register cannot keep. Type it again rather "
            "than pasting it"
        )
    }
    max_length = getattr(field, "max_length", None)
    if max_length is not None:
        found["max_length"] = f"{subject} must be {int(max_length):,} characters or fewer"
    min_length = getattr(field, "min_length", None)
    if min_length is not None:
        found["min_length"] = f"{subject} must be {int(min_length):,} characters or more"
    max_value = getattr(field, "max_value", None)
    if max_value is not None:
        found["max_value"] = f"{subject} must be {max_value} or less"
    min_value = getattr(field, "min_value", None)
    if min_value is not None:
        found["min_value"] = f"{subject} must be {min_value} or more"
    return found


def _choices(field: forms.Field, subject: str) -> dict[str, str]:
    select = "Select an answer" if is_question(field) else f"Select {the_thing(field)}"
    hidden = isinstance(field.widget, forms.HiddenInput)
    found: dict[str, str] = {}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        found["invalid_choice"] = HIDDEN if hidden else STALE_CHOICE.format(select=select)
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        found["invalid_list"] = found["invalid_pk_value"] = HIDDEN
    return found


def _typed(field: forms.Field, subject: str) -> dict[str, str]:
    hidden = isinstance(field.widget, forms.HiddenInput)
    if isinstance(field, forms.EmailField):
        return {"invalid": EMAIL}
    if isinstance(field, forms.URLField):
        return {"invalid": URL}
    if isinstance(field, forms.FloatField | forms.DecimalField):
        return {"invalid": HIDDEN if hidden else f"{subject} must be a number"}
    if isinstance(field, forms.IntegerField):
        return {"invalid": HIDDEN if hidden else f"{subject} must be a whole number"}
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return {"invalid": f"{subject} must be a real date, like 27 3 2017"}
    if isinstance(field, forms.UUIDField):
        return {"invalid": HIDDEN}
    if isinstance(field, forms.MultiValueField):
        return {
            "invalid": f"{subject} could not be read. Enter it again",
            "incomplete": f"Enter {the_thing(field)} in full",
        }
    return {}


def _file(field: forms.Field) -> dict[str, str]:
    if not isinstance(field, forms.FileField):
        return {}
    found = {
        "invalid": "The file could not be read. Select it again",
        "missing": f"Select {the_thing(field)}",
        "empty": "The selected file is empty",
        "contradiction": "Either select a file or choose to remove it, not both",
    }
    if field.max_length:
        found["max_length"] = f"The file's name must be {field.max_length:,} characters or fewer"
    return found


def _by_kind(field: forms.Field) -> dict[str, str]:
    """Messages for what a kind of field cannot read."""
    subject = _subject(field)
    return {**_choices(field, subject), **_typed(field, subject), **_file(field)}


def plain_messages(field: forms.Field, name: str = "") -> None:
    """Replace, on this field, every message that is still Django's stock one. A field with no
    label is named as Django would label it, from its name."""
    if field.label is None and name:
        field.label = pretty_name(name)
    stock = _stock(field)
    wanted = {"required": _required(field), **_limits(field), **_by_kind(field)}
    messages: dict[str, Any] = field.error_messages
    for code, text in wanted.items():
        current = messages.get(code)
        if current is None or str(current) == stock.get(code):
            messages[code] = text
