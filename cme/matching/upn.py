"""Unique Pupil Number: normalisation and check-letter validation.

A UPN is 13 characters: a check letter, then 12 characters (the LA code, the DfE
establishment number, the year and a serial). The check letter is the sum of characters
2 to 13, each multiplied by its position (2..13), modulo 23, read as a letter of
``ABCDEFGHJKLMNPQRTUVWXYZ``. A temporary UPN ends in a letter, valued by its place in the
same alphabet. The register's shared rules (``cme.rules.validate_upn``) decide validity;
the local check is the fallback and is tested to agree with them.
"""

from __future__ import annotations

LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _char_value(ch: str) -> int | None:
    if ch.isdigit():
        return int(ch)
    index = LETTERS.find(ch)
    return index if index >= 0 else None


def upn_check_letter(body: str) -> str | None:
    """The check letter for the 12 characters after it, or None if they cannot carry one."""
    if len(body) != 12:
        return None
    total = 0
    for position, ch in enumerate(body, start=2):
        value = _char_value(ch)
        if value is None or (position < 13 and not ch.isdigit()):
            return None
        total += value * position
    return LETTERS[total % 23]


def _validate_upn_local(upn: str) -> bool:
    upn = upn.strip().upper()
    return len(upn) == 13 and upn_check_letter(upn[1:]) == upn[0]


def _validate_shared(upn: str) -> bool | None:
    """Validate with cme.rules.validate_upn (a list of problems) if that module is present."""
    try:
        from cme.rules import validate_upn
    except ImportError:  # pragma: no cover - the shared rules are part of the repo
        return None
    return not validate_upn(upn)


def is_valid_upn(upn: str) -> bool:
    """True when `upn` is a well-formed UPN whose check letter is right."""
    upn = upn.strip().upper()
    shared = _validate_shared(upn)
    return _validate_upn_local(upn) if shared is None else shared


def normalise_upn(upn: str) -> str:
    """The UPN upper-cased without spaces if it is valid, otherwise empty (treated as missing)."""
    cleaned = "".join(upn.split()).upper()
    return cleaned if cleaned and is_valid_upn(cleaned) else ""
