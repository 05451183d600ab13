"""What a step above the register may require before a case closes with a given outcome.

The register cannot import the steps (docs/architecture.md), yet some outcomes need their
evidence: a case closes as "whereabouts unknown after all enquiries" only once the enquiries
have been made (Liverpool CME policy, "Checking process" and the CME1 checklist; SI 2024/208
reg 9(1)(h)(iii) and (i)(iii) require the school and the LA to have tried to locate the
child). So a step registers a requirement here when Django starts (its AppConfig.ready), and
`case_close` asks every registered requirement before it closes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Given the case (locked for the close) and the outcome asked for, a requirement returns the
# sentences that say what is still missing, or none when the case may close so.
CloseRequirement = Callable[[Any, str], list[str]]

_REQUIREMENTS: dict[str, CloseRequirement] = {}


def close_requirement_register(name: str, requirement: CloseRequirement) -> None:
    """Register (or replace, so a reload is harmless) a step's requirement under its name."""
    _REQUIREMENTS[name] = requirement


def close_refusals(case: Any, outcome: str) -> list[str]:
    """Every registered requirement's objections to closing `case` with `outcome`."""
    return [reason for _, check in sorted(_REQUIREMENTS.items()) for reason in check(case, outcome)]
