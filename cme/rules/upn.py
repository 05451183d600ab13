"""Unique Pupil Numbers.

Source: DfE "Unique Pupil Numbers (UPNs)" guidance as stated in the UK Government Data
Standards Catalogue entry "Unique Pupil Number" v2.0 (govtalk.gov.uk, agreed 18 Nov 2004):
format ``Annnnnnnnnnnn`` (permanent) or ``AnnnnnnnnnnnA`` (temporary); the check letter at
position 1 is the modulo-23 sum of characters 2-13 weighted by their positions 2..13, written
as ``ABCDEFGHJKLMNPQRTUVWXYZ`` (0 -> A ... 22 -> Z; I, O and S are never used); for a temporary
UPN the final letter counts as its value in that same table. Characters 2-4 must be a
recognised LA code (census validation rule 1530; see ``data/la_codes.csv``).
"""

from __future__ import annotations

from cme.rules.errors import InvalidUpn
from cme.rules.la_codes import is_recognised_la_code

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13


def _value(char: str) -> int:
    if char.isdigit():
        return int(char)
    return CHECK_LETTERS.index(char)


def _body_is_well_formed(body: str) -> bool:
    return (
        len(body) == UPN_LENGTH - 1
        and body[:-1].isascii()
        and body[:-1].isdigit()
        and (body[-1] in "0123456789" or body[-1] in CHECK_LETTERS)
    )


def upn_check_letter(upn: str) -> str:
    """The check letter for a UPN: sum of characters 2-13 times their positions, mod 23.

    Takes the 12 characters after the check letter, or a whole 13-character UPN (whose first
    character is then ignored). Raises InvalidUpn when those characters are not 11 digits
    followed by a digit or a permitted letter.

    >>> upn_check_letter("207000016049")
    'P'
    """
    if not isinstance(upn, str):
        raise InvalidUpn(f"a UPN must be text, not {type(upn).__name__}")
    body = upn[1:] if len(upn) == UPN_LENGTH else upn
    if not _body_is_well_formed(body):
        raise InvalidUpn(
            f"cannot compute a check letter for {upn!r}: need 11 digits then a digit or one of "
            f"{CHECK_LETTERS} (13 characters with the check letter, or 12 without)"
        )
    total = sum(position * _value(char) for position, char in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23]


def _character_errors(upn: str) -> list[str]:
    errors: list[str] = []
    if upn[0] not in CHECK_LETTERS:
        errors.append(
            f"Character 1 ({upn[0]!r}) must be a capital check letter: A to Z except I, O and S."
        )
    la_code = upn[1:4]
    if not (la_code.isascii() and la_code.isdigit()):
        errors.append(f"Characters 2-4 ({la_code!r}) must be the 3-digit local authority code.")
    elif not is_recognised_la_code(la_code):
        errors.append(f"Characters 2-4 ({la_code}) are not a recognised local authority code.")
    middle = upn[4:12]
    if not (middle.isascii() and middle.isdigit()):
        errors.append(
            f"Characters 5-12 ({middle!r}) must all be digits "
            "(school number, year and serial number)."
        )
    last = upn[12]
    if not (last in "0123456789" or last in CHECK_LETTERS):
        errors.append(
            f"Character 13 ({last!r}) must be a digit, or for a temporary UPN a capital letter "
            "other than I, O or S."
        )
    return errors


def validate_upn(upn: str) -> list[str]:
    """Every reason ``upn`` is not a valid UPN, in plain English; an empty list means valid.

    The UPN is checked as given: normalise first with :func:`normalise_upn` if it was typed.
    """
    if upn is None or upn == "":
        return ["The UPN is empty."]
    if not isinstance(upn, str):
        return [f"A UPN must be text, not {type(upn).__name__}."]
    if len(upn) != UPN_LENGTH:
        return [f"A UPN has 13 characters; this one has {len(upn)}."]
    if upn != upn.upper():
        return ["A UPN is written in capital letters."]
    errors = _character_errors(upn)
    if not errors:
        expected = upn_check_letter(upn)
        if expected != upn[0]:
            errors.append(
                f"The check letter should be {expected}, not {upn[0]}: "
                "a character has probably been mistyped."
            )
    return errors


def is_temporary_upn(upn: str) -> bool:
    """True for a well-formed temporary UPN (one whose 13th character is a letter)."""
    return not validate_upn(upn) and upn[12].isalpha()


def normalise_upn(text: str) -> str:
    """Strip spaces and upper-case, as an officer's typing usually needs before validation."""
    return "".join(text.split()).upper()
