"""Unique Pupil Number: normalisation and check-letter validation.

A UPN is 13 characters: a check letter, then 12 characters (the LA code, the DfE
establishment number, the year and a serial). The check letter is the sum of characters
2 to 13, each multiplied by its position (2..13), modulo 23, read as a letter of
``ABCDEFGHJKLMNPQRTUVWXYZ``. A temporary UPN ends in a letter, valued by its place in the
same alphabet. The register's shared rules (``cme.rules.validate_upn``) decide validity;
the local check is the fallback and is tested to agree with them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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


def valid_upn_mask(upns: Any) -> np.ndarray:
    """Element-wise `is_valid_upn` for an array of cleaned (upper case, no spaces) strings.

    The same rules as `cme.rules.validate_upn` (13 characters, a check letter, a recognised
    LA code, eight digits, a digit or letter last, the right check letter), in numpy, for the
    bulk path where every record has its own UPN. Tested to agree with `is_valid_upn`.
    """
    text = np.asarray(upns, dtype=str)
    n = len(text)
    if not n:
        return np.zeros(0, dtype=bool)
    length = np.char.str_len(text)
    fixed = np.where(length == 13, text, "").astype("<U13")
    chars = fixed.view(np.uint32).reshape(n, 13).astype(np.int64)
    table = np.full(128, -1, dtype=np.int64)  # character value: digit, or place in LETTERS
    table[48:58] = np.arange(10)
    letter_value = np.full(128, -1, dtype=np.int64)
    for i, ch in enumerate(LETTERS):
        table[ord(ch)] = i
        letter_value[ord(ch)] = i
    ascii_chars = np.where(chars < 128, chars, 0)
    digit = (chars >= 48) & (chars <= 57)
    is_letter = (letter_value[ascii_chars] >= 0) & (chars < 128)
    ok = (length == 13) & is_letter[:, 0] & digit[:, 1:12].all(axis=1)
    ok &= digit[:, 12] | is_letter[:, 12]
    values = table[ascii_chars[:, 1:]]
    total = (values * np.arange(2, 14)).sum(axis=1) % 23
    ok &= total == letter_value[ascii_chars[:, 0]]
    la = (chars[:, 1:4] - 48) @ np.array([100, 10, 1])
    ok &= np.isin(la, _la_codes())
    return ok


def _la_codes() -> np.ndarray:
    try:
        from cme.rules.la_codes import la_codes
    except ImportError:  # pragma: no cover - the shared rules are part of the repo
        return np.arange(1000)
    return np.array([int(code) for code in la_codes() if code.isdigit()], dtype=np.int64)
