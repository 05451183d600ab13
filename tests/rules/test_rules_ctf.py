"""CTF destination codes: XXXXXXX for unknown, MMMMMMM outside England and Wales."""

import pytest

from cme.rules import CtfDestination, Destination, InvalidArgument, ctf_destination


@pytest.mark.parametrize(
    ("destination", "laestab", "code", "one_pupil"),
    [
        (Destination.SCHOOL_IN_ENGLAND, "3412001", "3412001", False),
        (Destination.SCHOOL_IN_WALES, "6814001", "6814001", False),
        (Destination.UNKNOWN, None, "XXXXXXX", True),
        (Destination.INDEPENDENT, None, "MMMMMMM", True),
        (Destination.SCOTLAND, None, "MMMMMMM", True),
        (Destination.NORTHERN_IRELAND, None, "MMMMMMM", True),
        (Destination.ABROAD, None, "MMMMMMM", True),
    ],
)
def test_destination_codes(destination, laestab, code, one_pupil):
    result = ctf_destination(destination=destination, laestab=laestab)
    assert isinstance(result, CtfDestination)
    assert (result.code, result.one_pupil_per_file) == (code, one_pupil)
    assert result.la + result.estab == code and len(result.la) == 3
    assert result.citation


def test_unknown_goes_to_the_lost_pupil_database():
    assert ctf_destination(destination=Destination.UNKNOWN).lost_pupil_database
    assert "UNVERIFIED" in ctf_destination(destination=Destination.NORTHERN_IRELAND).note


@pytest.mark.parametrize(
    ("destination", "laestab", "fragment"),
    [
        (Destination.SCHOOL_IN_ENGLAND, None, "7-digit LAESTAB"),
        (Destination.SCHOOL_IN_ENGLAND, "341200", "7-digit LAESTAB"),
        (Destination.SCHOOL_IN_ENGLAND, "34120O1", "7-digit LAESTAB"),
        (Destination.SCHOOL_IN_ENGLAND, "9002001", "not a local authority code in England"),
        (Destination.SCHOOL_IN_ENGLAND, "6812001", "in England"),  # Cardiff is in Wales
        (Destination.SCHOOL_IN_WALES, "3412001", "in Wales"),
        (Destination.UNKNOWN, "3412001", "only used for a school in England or Wales"),
    ],
)
def test_bad_destinations(destination, laestab, fragment):
    with pytest.raises(InvalidArgument, match=fragment):
        ctf_destination(destination=destination, laestab=laestab)
