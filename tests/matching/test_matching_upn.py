"""The matcher's UPN handling applies cme.rules.upn: an invalid UPN counts as missing."""

from hypothesis import given
from hypothesis import strategies as st

from cme.matching.upn import is_valid_upn, normalise_upn
from cme.rules import upn_check_letter, validate_upn


def test_check_letter_known_value():
    # 2*2 + 7*4 + 1*9 + 6*10 + 4*12 + 9*13 = 266; 266 mod 23 = 13 -> P
    assert upn_check_letter("207000016049") == "P"
    assert is_valid_upn("P207000016049")
    assert is_valid_upn(" p207000016049 ")
    assert not is_valid_upn("A207000016049")
    assert normalise_upn(" p207000016049 ") == "P207000016049"
    assert normalise_upn("A207000016049") == ""  # invalid UPNs are treated as missing
    assert normalise_upn("") == ""


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_matcher_agrees_with_the_rules(digits):
    body = "380" + digits
    upn = upn_check_letter(body) + body
    assert is_valid_upn(upn) and validate_upn(upn) == []
    wrong = "ABCDEFGHJKLMNPQRTUVWXYZ".replace(upn[0], "")[0] + body
    assert not is_valid_upn(wrong) and validate_upn(wrong)
    unknown_la = upn_check_letter("999" + digits) + "999" + digits
    assert not is_valid_upn(unknown_la)  # the rules also require a recognised LA code
