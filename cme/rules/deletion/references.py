"""Deletion grounds as schools write them on a deletion return: the 2024 reference.

SI 2024/208 reg 13(4)(g): the return gives "which of the circumstances listed in regulation
9(1) or (3) are the basis for the deletion". Schools and MIS vendors write that as the
paragraph reference, "9(1)(i)" or "9(3)(c)"; this module maps each to the rules engine's
ground. Reg 9(3)(a)-(e) per the verified text (returns-and-enquiries.md section 2.5):
(a) not a boarder, not expected back; (b) a boarder who has ceased to be a pupil; (c) 20
school days' continuous absence; (d) died; (e) permanently excluded.
"""

from __future__ import annotations

from cme.rules.deletion.model import DeletionGround
from cme.rules.deletion.registry import get_ground
from cme.rules.errors import UnknownGround

_NOT_CSA = {
    "9(3)(a)": "2024:9(3):left",
    "9(3)(b)": "2024:9(3):boarder",
    "9(3)(c)": "2024:9(3):absence",
    "9(3)(d)": "2024:9(3):died",
    "9(3)(e)": "2024:9(3):excluded",
}
RETURN_GROUNDS: dict[str, str] = {
    **{f"9(1)({letter})": f"2024:9(1)({letter})" for letter in "abcdefghijklmno"},
    **_NOT_CSA,
}


def return_ground_references() -> tuple[str, ...]:
    """Every reference a deletion return may give, in the regulation's order."""
    return tuple(RETURN_GROUNDS)


def ground_for_reference(reference: str) -> DeletionGround:
    """The ground a deletion return's reference names; UnknownGround listing the valid ones."""
    normalised = "".join(str(reference).split()).lower()
    key = RETURN_GROUNDS.get(normalised)
    if key is None:
        raise UnknownGround(
            f"{reference!r} is not a ground in SI 2024/208 reg 9(1) or 9(3). "
            f"Give one of: {', '.join(RETURN_GROUNDS)}"
        )
    return get_ground(key)
