"""Buttons coloured by the Design System's meaning: red (warning) only for an action that
destroys something or cannot be undone, never for referring, sending or escalating."""

from __future__ import annotations

import re
from pathlib import Path

import cme

TEMPLATES = sorted(Path(cme.__file__).parent.glob("**/templates/**/*.html"))
BUTTON = re.compile(
    r'<(?:button|a)\b[^>]*class="[^"]*govuk-button[^"]*"[^>]*>(.*?)</(?:button|a)>', re.S
)

# The only red buttons: each ends something for good.
DESTRUCTIVE = {"Cancel the duty", "Remove"}  # a transfer duty; a sibling link (people)


def _buttons() -> list[tuple[str, str, bool]]:
    found = []
    for path in TEMPLATES:
        for match in BUTTON.finditer(path.read_text()):
            label = re.sub(r"<[^>]+>|\{[{%].*?[}%]\}", "", match.group(1)).strip()
            found.append((path.name, label, "govuk-button--warning" in match.group(0)))
    return found


def test_the_templates_have_buttons_to_check() -> None:
    labels = {label for _, label, _ in _buttons()}
    assert {"Refer to PAEWS", "Close the referral", "Escalate to the CME managers"} <= labels


def test_only_destructive_actions_are_red() -> None:
    red = {label for _, label, warning in _buttons() if warning}
    # Equal, not a subset: a new red button is a decision to write down here.
    assert red == DESTRUCTIVE, red ^ DESTRUCTIVE


def test_referring_to_paews_is_the_main_action_not_a_warning() -> None:
    refer = [m for m in _buttons() if m[1] == "Refer to PAEWS"]
    assert refer and not any(warning for _, _, warning in refer)
    source = next(p for p in TEMPLATES if p.parts[-2:] == ("checks", "case.html")).read_text()
    assert re.search(r'class="govuk-button" data-module="govuk-button">Refer to PAEWS<', source)
