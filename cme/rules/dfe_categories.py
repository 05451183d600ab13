"""DfE's categories for the termly "Elective home education and children missing education" return.

The values are spelled exactly as DfE spells them in the published files, so a count made from
the register can be written into the return (and compared with the published statistics)
without translation. Source: /work/shared/reference/returns-and-enquiries.md section 1.5:

* ``CME_REASONS``: the 20 values of the ``Reason`` breakdown of ``cme_census.csv`` (EES,
  *Children missing education*, 2025/26 autumn term; CODE-OBSERVED, in the order listed
  there). "Primary reason for CME" was added to the collection in autumn 2023, and five reasons
  in autumn 2025 (EES *Children missing education: methodology*; which five is UNVERIFIED).
* ``EHE_REASONS``: the 19 values of the ``Reason`` breakdown of ``ehe_census.csv`` (EES,
  *Elective home education*, 2025/26; CODE-OBSERVED, in the order listed there).

The stored value of a reason is DfE's own string; ``choices`` gives the (value, label) pairs a
form or a model field uses. Nothing here imports Django.

Check gov.uk ("Elective home education and children missing education: submit your data") each
year: when DfE adds or renames a value, change the tuple here and add a data migration for any
stored value that was renamed.
"""

from __future__ import annotations

from cme.rules.errors import InvalidArgument

CITATION = (
    "DfE, Elective home education and children missing education data collection "
    "(mandatory from autumn 2024): Reason breakdowns of cme_census.csv and ehe_census.csv"
)

CME_REASONS: tuple[str, ...] = (
    "Believed to have moved to another country",
    "Believed to have moved to another local authority",
    "Challenging school attendance order",
    "Did not apply for school place at compulsory school age",
    "Did not get school preference",
    "Difficulty accessing suitable school place",
    "Mental health",
    "Moved in from another country",
    "Moved in from another local authority",
    "Not recorded",
    "Offered school place but not yet accepted",
    "Other",
    "Parental decision not to register at school",
    "Physical health",
    "School application awaiting outcome",
    "School dissatisfaction SEND",
    "School dissatisfaction general",
    "Unknown",
    "Unsuitable elective home education",
    "Waiting school start",
)

EHE_REASONS: tuple[str, ...] = (
    "Mental health",
    "Physical health",
    "Health concerns related to COVID19",
    "School dissatisfaction general",
    "School dissatisfaction SEND",
    "School dissatisfaction bullying",
    "Lifestyle",
    "Philosophical or preferential",
    "Religious",
    "Risk of school exclusion",
    "Permanent exclusion",
    "Did not get school preference",
    "Difficulty accessing suitable school place",
    "Offered school place but not yet accepted",
    "Did not apply for school place at compulsory school age",
    "School suggestion",
    "Other",
    "No reason given",
    "Unknown",
)

# The value to count a child under when no reason has been recorded. DfE's CME list has both
# "Not recorded" and "Unknown"; "Not recorded" is the honest one for a register that simply
# holds no reason. The EHE list has no "Not recorded", so "Unknown" it is.
CME_REASON_NOT_RECORDED = "Not recorded"
EHE_REASON_NOT_RECORDED = "Unknown"

# The CME reason DfE gives a child whose home education was judged unsuitable (EES *Elective
# home education: methodology*: such a child "should be classified as CME").
CME_REASON_UNSUITABLE_EHE = "Unsuitable elective home education"

# The longest value, for a CharField's max_length (with room for DfE's next, longer wording).
MAX_LENGTH = 100


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(value, label) pairs for a form or model field: DfE's string is both."""
    return [(value, value) for value in values]


def cme_reason(value: str | None) -> str:
    """``value`` as a CME reason for the return: itself if DfE lists it, else refused.

    ``None`` or an empty string (no reason recorded) is counted as ``Not recorded``.
    """
    return _one_of(value, CME_REASONS, CME_REASON_NOT_RECORDED, "CME")


def ehe_reason(value: str | None) -> str:
    """``value`` as an EHE reason for the return: itself if DfE lists it, else refused.

    ``None`` or an empty string (no reason recorded) is counted as ``Unknown``.
    """
    return _one_of(value, EHE_REASONS, EHE_REASON_NOT_RECORDED, "EHE")


def _one_of(value: str | None, values: tuple[str, ...], missing: str, kind: str) -> str:
    if value is None or value == "":
        return missing
    if not isinstance(value, str):
        raise InvalidArgument(f"A {kind} reason must be text, not {type(value).__name__}.")
    if value not in values:
        raise InvalidArgument(f"'{value}' is not one of DfE's {kind} reasons.")
    return value
