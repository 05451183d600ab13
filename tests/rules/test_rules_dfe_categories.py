"""DfE's CME and EHE reason lists: spelled as DfE spells them, refused when not DfE's."""

import pytest

from cme.rules import dfe_categories as dfe
from cme.rules.errors import InvalidArgument


def test_twenty_cme_reasons_and_nineteen_ehe_reasons_with_no_repeats():
    assert len(dfe.CME_REASONS) == 20
    assert len(set(dfe.CME_REASONS)) == 20
    assert len(dfe.EHE_REASONS) == 19
    assert len(set(dfe.EHE_REASONS)) == 19


@pytest.mark.parametrize(
    "value",
    [
        "School dissatisfaction SEND",  # SEND in capitals, no "/"
        "Health concerns related to COVID19",  # no hyphen in COVID19
        "Philosophical or preferential",
        "No reason given",
    ],
)
def test_ehe_values_keep_dfe_spelling(value):
    assert dfe.ehe_reason(value) == value


@pytest.mark.parametrize(
    "value",
    ["Unsuitable elective home education", "Waiting school start", "Not recorded"],
)
def test_cme_values_keep_dfe_spelling(value):
    assert dfe.cme_reason(value) == value


def test_every_value_fits_the_field():
    assert max(len(v) for v in dfe.CME_REASONS + dfe.EHE_REASONS) <= dfe.MAX_LENGTH


@pytest.mark.parametrize("missing", [None, ""])
def test_no_reason_is_counted_as_dfes_not_recorded_value(missing):
    assert dfe.cme_reason(missing) == "Not recorded"
    assert dfe.ehe_reason(missing) == "Unknown"


@pytest.mark.parametrize(
    ("func", "value"),
    [
        (dfe.cme_reason, "school dissatisfaction SEND"),  # case matters: DfE's spelling
        (dfe.cme_reason, "Lifestyle"),  # an EHE reason, not a CME one
        (dfe.ehe_reason, "Waiting school start"),  # a CME reason, not an EHE one
        (dfe.ehe_reason, "Mental health "),  # trailing space
    ],
)
def test_values_outside_the_list_are_refused(func, value):
    with pytest.raises(InvalidArgument, match="is not one of DfE's"):
        func(value)


def test_non_text_is_refused():
    with pytest.raises(InvalidArgument, match="must be text"):
        dfe.cme_reason(3)  # type: ignore[arg-type]


def test_choices_use_dfes_string_as_value_and_label():
    pairs = dfe.choices(dfe.EHE_REASONS)
    assert pairs[0] == ("Mental health", "Mental health")
    assert [v for v, _ in pairs] == list(dfe.EHE_REASONS)


def test_the_unsuitable_ehe_reason_is_a_cme_reason_and_cites_dfe():
    assert dfe.CME_REASON_UNSUITABLE_EHE in dfe.CME_REASONS
    assert "DfE" in dfe.CITATION
