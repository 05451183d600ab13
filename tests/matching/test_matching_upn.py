from hypothesis import given
from hypothesis import strategies as st

from cme.matching.upn import _validate_upn_local, is_valid_upn, normalise_upn, upn_check_letter


def test_check_letter_known_value():
    # 2*2 + 7*4 + 1*9 + 6*10 + 4*12 + 9*13 = 266; 266 mod 23 = 13 -> P
    assert upn_check_letter("207000016049") == "P"
    assert is_valid_upn("P207000016049")
    assert not is_valid_upn("A207000016049")
    assert normalise_upn(" p207000016049 ") == "P207000016049"
    assert normalise_upn("A207000016049") == ""  # invalid UPNs are treated as missing


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_local_check_agrees_with_shared_rules(digits):
    body = "380" + digits  # a recognised LA code, which the shared rules also require
    letter = upn_check_letter(body)
    assert letter is not None
    upn = letter + body
    assert is_valid_upn(upn) and _validate_upn_local(upn)
    wrong = "ABCDEFGHJKLMNPQRTUVWXYZ".replace(letter, "")[0] + body
    assert not is_valid_upn(wrong) and not _validate_upn_local(wrong)
