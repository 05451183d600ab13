import pytest

from cme.rules.deletion import AgeStatus, ground_for_reference, return_ground_references
from cme.rules.errors import UnknownGround


def test_every_2024_ground_has_its_reference():
    refs = return_ground_references()
    assert len(refs) == 20
    assert ground_for_reference("9(1)(i)").key == "2024:9(1)(i)"
    assert ground_for_reference(" 9(3)(C) ").key == "2024:9(3):absence"
    for ref in refs:
        ground = ground_for_reference(ref)
        expected = AgeStatus.COMPULSORY if ref.startswith("9(1)") else AgeStatus.NOT_COMPULSORY
        assert ground.age is expected, ref


@pytest.mark.parametrize("bad", ["9(1)(p)", "8(1)(h)", "2024:9(1)(i)", "", "9(3)(f)"])
def test_an_unknown_reference_lists_the_valid_ones(bad):
    with pytest.raises(UnknownGround) as raised:
        ground_for_reference(bad)
    assert "9(1)(a)" in str(raised.value) and "9(3)(e)" in str(raised.value)


def test_9_3_b_is_the_boarder_ground():
    ground = ground_for_reference("9(3)(b)")
    assert ground.provision == "reg 9(3)(b)"
    assert "boarder" in ground.title.lower()
