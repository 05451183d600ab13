"""DfE local authority numbers, loaded from ``data/la_codes.csv`` (source named in its header)."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class LocalAuthorityCode:
    code: str
    name: str
    kind: str  # "england", "wales" or "pseudo"
    status: str  # "current" or "former"


@functools.cache
def la_codes() -> dict[str, LocalAuthorityCode]:
    """Every recognised 3-digit LA code, keyed by code."""
    text = resources.files("cme.rules").joinpath("data/la_codes.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return {row["code"]: LocalAuthorityCode(**row) for row in reader}


def is_recognised_la_code(code: str) -> bool:
    """True for any code DfE accepts in a UPN: English, Welsh or pseudo, current or former."""
    return code in la_codes()


def la_name(code: str) -> str | None:
    entry = la_codes().get(code)
    return entry.name if entry else None
