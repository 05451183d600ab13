"""Unique Pupil Numbers for matching: a UPN is compared only if it is valid.

The rules for a UPN (13 characters, the check letter, a recognised LA code) are
``cme.rules.upn``'s; this module applies them the way the matcher needs: an invalid UPN is
treated as missing rather than reported, and ``valid_upn_mask`` checks a whole column at once
for the bulk path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cme.rules import upn as rules
from cme.rules.la_codes import la_codes


def is_valid_upn(upn: str) -> bool:
    """True when `upn` is a well-formed UPN whose check letter is right."""
    return not rules.validate_upn(upn.strip().upper())


def normalise_upn(upn: str) -> str:
    """The UPN upper-cased without spaces if it is valid, otherwise empty (treated as missing)."""
    cleaned = rules.normalise_upn(upn)
    return cleaned if cleaned and not rules.validate_upn(cleaned) else ""


def valid_upn_mask(upns: Any) -> np.ndarray:
    """Element-wise `is_valid_upn` for an array of cleaned (upper case, no spaces) strings.

    The same rules as `cme.rules.validate_upn` (13 characters, a check letter, a recognised
    LA code, eight digits, a digit or letter last, the right check letter), in numpy, for the
    bulk path where every record has its own UPN. Tested to agree with `is_valid_upn`.
    """
    letters = rules.CHECK_LETTERS
    text = np.asarray(upns, dtype=str)
    n = len(text)
    if not n:
        return np.zeros(0, dtype=bool)
    length = np.char.str_len(text)
    fixed = np.where(length == 13, text, "").astype("<U13")
    chars = fixed.view(np.uint32).reshape(n, 13).astype(np.int64)
    # A character's value: a digit's own, or a letter's place among the check letters.
    table = np.full(128, -1, dtype=np.int64)
    table[48:58] = np.arange(10)
    letter_value = np.full(128, -1, dtype=np.int64)
    for i, ch in enumerate(letters):
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
    return np.array([int(code) for code in la_codes() if code.isdigit()], dtype=np.int64)
