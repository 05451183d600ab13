"""Each comparison level, and agreement between the Python levels and the SQL Splink trains on."""

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pytest

from cme.matching.comparisons import COMPARISONS, LEVEL_FUNCTIONS, Context
from cme.matching.features import Vocabularies, encode_many, side_from_matrix, splink_frame

BASE = {
    "id": "a",
    "forename": "Alfred",
    "middle_names": "George",
    "surname": "Smith-Jones",
    "date_of_birth": "2014-03-07",
    "sex": "M",
    "postcode": "LS6 2AB",
    "address": "12 High Street",
    "upn": "P207000016049",
}


def levels(a: dict, b: dict) -> dict[str, int]:
    vocab = Vocabularies()
    x = side_from_matrix(encode_many(vocab, [a]))
    y = side_from_matrix(encode_many(vocab, [b]))
    ctx = Context(vocab.names, vocab.groups, vocab.addresses)
    return {name: int(fn(ctx, x, y, 1)[0]) for name, fn in LEVEL_FUNCTIONS.items()}


def key(comparison: str, level: int) -> str:
    comp = next(c for c in COMPARISONS if c.name == comparison)
    return "null" if level < 0 else comp.levels[level].key


CASES = [
    ("forename", {"forename": "ALFRED"}, "exact"),
    ("forename", {"forename": "Alfie"}, "variant"),
    ("forename", {"forename": "George", "middle_names": ""}, "middle"),
    ("forename", {"forename": "Alfrde"}, "jw92"),
    ("forename", {"forename": "Elfred"}, "jw80"),
    ("forename", {"forename": "Alfredo"}, "jw92"),
    ("forename", {"forename": "Zak"}, "else"),
    ("forename", {"forename": "Gorge", "middle_names": ""}, "middle_near"),
    ("forename", {"forename": "Gorge", "middle_names": "Henry"}, "middle_near"),
    ("middle_names", {"middle_names": "george"}, "exact"),
    ("middle_names", {"middle_names": "G"}, "initial"),
    ("middle_names", {"middle_names": "Goerge"}, "jw88"),
    ("middle_names", {"middle_names": "Henry"}, "else"),
    ("middle_names", {"middle_names": ""}, "null"),
    # order-free: either of a record's first two middle names against either of the other's
    ("middle_names", {"middle_names": "Henry George"}, "exact"),
    ("middle_names", {"middle_names": "Henry G"}, "initial"),
    ("middle_names", {"middle_names": "H G"}, "initial"),
    ("middle_names", {"middle_names": "Henry Goerge"}, "jw88"),
    ("middle_names", {"middle_names": "Henry Paul"}, "else"),
    ("middle_names", {"middle_names": "Henry Paul George"}, "else"),  # a third is not compared
    # the first name is the other record's second middle name, or spelt like it
    ("forename", {"forename": "Paul", "middle_names": "Henry Alfred"}, "middle"),
    ("forename", {"forename": "Paul", "middle_names": "Henry Alfrde"}, "middle_near"),
    ("forename", {"forename": "Paul", "middle_names": "Henry-Alfie"}, "middle"),  # a variant
    ("forename", {"forename": ""}, "null"),
    ("surname", {"surname": "Jones Smith"}, "exact"),
    ("surname", {"surname": "Jones"}, "part"),
    ("surname", {"surname": "Smiht-Jonse"}, "jw92"),
    ("surname", {"surname": "Brown"}, "else"),
    ("date_of_birth", {"date_of_birth": "2014-07-03"}, "swap"),
    ("date_of_birth", {"date_of_birth": "2014-03-08"}, "digit"),
    ("date_of_birth", {"date_of_birth": "2014-03-17"}, "digit"),
    ("date_of_birth", {"date_of_birth": "2015-03-07"}, "year_digit"),
    ("date_of_birth", {"date_of_birth": "2041-03-07"}, "transposed"),
    ("date_of_birth", {"date_of_birth": "2014-03-07"}, "exact"),
    ("date_of_birth", {"date_of_birth": "2011-05-22"}, "else"),
    ("date_of_birth", {"date_of_birth": ""}, "null"),
    ("postcode", {}, "address"),
    ("postcode", {"address": "12 Hihg Street"}, "address_near"),
    ("postcode", {"address": "14 High Street"}, "address_near"),
    ("postcode", {"address": "Flat 3, 40 Low Road"}, "unit"),
    ("postcode", {"postcode": "M1 1AE", "address": "12 high st"}, "address_only"),
    ("postcode", {"postcode": "", "address": "12 High St."}, "address_only"),
    ("postcode", {"postcode": "M1 1AE", "address": "12 Hgih Street"}, "address_near_only"),
    ("postcode", {"postcode": "", "address": "21 High Street"}, "address_near_only"),
    ("postcode", {"postcode": "", "address": "Flat 3, 40 Low Road"}, "else"),
    ("postcode", {"postcode": "nonsense", "address": ""}, "null"),
    ("postcode", {"postcode": "LS6 2ZZ", "address": "Flat 3, 40 Low Road"}, "sector"),
    ("postcode", {"postcode": "LS6 4AB", "address": "Flat 3, 40 Low Road"}, "district"),
    ("postcode", {"postcode": "M1 1AE", "address": "Flat 3, 40 Low Road"}, "else"),
    ("postcode", {"postcode": "nonsense", "address": "9 Other Road"}, "else"),
    ("sex", {"sex": "male"}, "exact"),
    ("sex", {"sex": "F"}, "else"),
    ("sex", {"sex": "U"}, "null"),
    ("upn", {"upn": "p207000016049"}, "exact"),
    ("upn", {"upn": "A207000016049"}, "null"),  # bad check letter: treated as missing
]


@pytest.mark.parametrize(("comparison", "change", "expected"), CASES)
def test_each_level(comparison, change, expected):
    other = {**BASE, "id": "b", **change}
    assert key(comparison, levels(BASE, other)[comparison]) == expected
    assert key(comparison, levels(other, BASE)[comparison]) == expected  # symmetric


def test_phonetic_level():
    a = {**BASE, "forename": "Phoebe"}
    b = {**BASE, "forename": "Feebee"}
    assert key("forename", levels(a, b)["forename"]) == "phonetic"
    assert _sql_levels(a, b) == levels(a, b)


def test_middle_name_variant_and_the_kwmae_typo():
    a = {**BASE, "middle_names": "Alfred"}
    b = {**BASE, "middle_names": "Alfie"}
    assert key("middle_names", levels(a, b)["middle_names"]) == "variant"
    assert _sql_levels(a, b) == levels(a, b)
    # the middle name used as the first name and mistyped is not "no given name alike",
    # so the sibling guard does not cap it
    kwame = {**BASE, "forename": "John", "middle_names": "Kwame"}
    typed = {**BASE, "forename": "Kwmae", "middle_names": ""}
    assert key("forename", levels(kwame, typed)["forename"]) == "middle_near"
    assert _sql_levels(kwame, typed) == levels(kwame, typed)


def test_upn_different():
    from cme.rules import upn_check_letter

    other = {**BASE, "upn": upn_check_letter("380200001001") + "380200001001"}
    assert key("upn", levels(BASE, other)["upn"]) == "else"


def _sql_levels(a: dict, b: dict) -> dict[str, int]:
    left, right = splink_frame([a]), splink_frame([b])
    con = duckdb.connect()
    con.register("lf", left)
    con.register("rf", right)
    cols = list(left.column_names)
    select = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    out = {}
    for comp in COMPARISONS:
        whens = [f"WHEN {comp.null_sql} THEN -1"]
        for i, level in enumerate(comp.levels):
            whens.append(f"ELSE {i}" if level.sql == "ELSE" else f"WHEN {level.sql} THEN {i}")
        case = "CASE " + " ".join(whens) + " END"
        sql = f"SELECT {case} FROM (SELECT {select} FROM lf l, rf r)"  # noqa: S608 - test SQL
        row = con.execute(sql).fetchone()
        assert row is not None
        out[comp.name] = row[0]
    return out


@pytest.mark.parametrize(("comparison", "change", "expected"), CASES)
def test_sql_agrees_with_python(comparison, change, expected):
    other = {**BASE, "id": "b", **change}
    assert _sql_levels(BASE, other) == levels(BASE, other)


def test_address_near_needs_both_addresses():
    a = {**BASE, "postcode": "", "address": ""}
    b = {**BASE, "postcode": "", "address": "12 High Street"}
    assert key("postcode", levels(a, b)["postcode"]) == "null"
    assert _sql_levels(a, b) == levels(a, b)


def test_splink_frame_matches_the_reference_rows():
    from datetime import date

    from bench.synthetic import linkage_task
    from cme.matching.features import splink_rows

    task = linkage_task(300, 60, seed=3)
    odd: list[Mapping[str, object]] = [
        {"id": "x1", "upn": " p207000016049 ", "date_of_birth": date(2014, 3, 7), "sex": "girl"},
        {"id": "x2", "upn": "A207000016049", "surname": "van der Berg-Smith", "postcode": "ls62ab"},
        {"id": "x3", "forename": None, "middle_names": "Mary Jane", "address": "Flat 1, O'Hara Ct"},
        {"id": "x4"},
    ]
    records = [*task.left, *task.right, *odd]
    got = splink_frame(records).to_pylist()
    assert got == splink_rows(records)


def test_vectorised_upn_check_agrees():
    import random

    from cme.matching.upn import is_valid_upn, valid_upn_mask
    from cme.rules import InvalidUpn, upn_check_letter

    def check_letter(body: str) -> str:
        try:
            return upn_check_letter(body)
        except InvalidUpn:  # a made-up body that cannot carry one (an I or an O last)
            return "A"

    rng = random.Random(4)
    values = ["P207000016049", "A207000016049", "", "P20700001604", "X999000016049", "Ü2070000160"]
    for _ in range(2000):
        body = rng.choice(["380", "207", "999", "000"]) + "".join(
            rng.choice("0123456789") for _ in range(8)
        )
        body += rng.choice("0123456789ABCZIO")
        check = check_letter(body)
        values.append((check if rng.random() < 0.7 else rng.choice("ABDI1")) + body)
    assert valid_upn_mask(values).tolist() == [is_valid_upn(v) for v in values]


def test_a_model_file_with_other_levels_is_refused():
    import json

    from cme.matching.errors import ModelError
    from cme.matching.model import DEFAULT_MODEL, model_from_dict

    path = Path(__file__).resolve().parents[2] / "cme" / "matching" / DEFAULT_MODEL
    data = json.loads(path.read_text(encoding="utf-8"))
    dob = next(c for c in data["comparisons"] if c["output_column_name"] == "date_of_birth")
    dob["comparison_levels"] = [
        lv for lv in dob["comparison_levels"] if lv["label_for_charts"] != "year_digit"
    ]
    with pytest.raises(ModelError, match="date_of_birth should have levels"):
        model_from_dict(data)


def test_a_child_known_by_a_second_middle_name_is_not_taken_for_a_sibling():
    from cme.matching.index import compare

    record = {**BASE, "forename": "John", "middle_names": "Paul Kwame", "upn": ""}
    known_as = {**record, "id": "b", "forename": "Kwame", "middle_names": ""}
    sibling = {**known_as, "id": "c", "forename": "Peter"}
    assert key("forename", levels(record, known_as)["forename"]) == "middle"
    assert compare(record, known_as).band == "likely"
    assert compare(record, sibling).band != "likely"


@pytest.mark.parametrize(
    ("on_record", "given", "level", "reason"),
    [
        ("John", "J", "initial", "a middle name is given as its initial: John / J"),
        # in any order: one of the record's two middle names is enough
        ("John Paul", "Paul", "exact", "a middle name is the same: John Paul / Paul"),
    ],
)
def test_a_middle_name_alike_counts_for(on_record, given, level, reason):
    from cme.matching.index import compare

    record = {**BASE, "forename": "Kwame", "middle_names": on_record, "upn": ""}
    referral = {**record, "id": "b", "middle_names": given, "postcode": "ZC1 1AA", "address": ""}
    other = {**referral, "middle_names": "Peter"}
    assert key("middle_names", levels(record, referral)["middle_names"]) == level
    assert compare(record, referral).probability > compare(record, other).probability
    assert reason in compare(record, referral).reasons


def test_mistyped_middle_name_as_first_name_is_not_capped_as_a_sibling():
    from cme.matching.index import compare

    child = {**BASE, "forename": "John", "middle_names": "Kwame", "upn": ""}
    typed = {**child, "id": "b", "forename": "Kwmae", "middle_names": ""}
    sibling = {**child, "id": "c", "forename": "Peter", "middle_names": ""}
    assert compare(child, typed).band == "likely"
    assert compare(child, sibling).band != "likely"
    reasons = compare(child, typed).reasons
    assert (
        "first name is spelt like the other record's middle name: John (middle name Kwame) / Kwmae"
        in reasons
    )


def test_a_move_costs_less_than_the_same_address_gains():
    from cme.matching.model import default_model

    postcode = default_model().comparisons["postcode"]
    weight = dict(zip(postcode.keys, postcode.weights, strict=False))
    assert -2.5 < weight["else"] < 0 < weight["address"]


def test_dob_levels_of_a_lookup_agree_with_the_digits():
    """One date against many (a lookup) is a table of the dates near it; the same levels as
    taking every pair apart digit by digit, for every kind of near date and a few far."""
    import random

    import numpy as np

    from cme.matching.comparisons import dob_levels, swap_day_month
    from cme.matching.features import Side

    vocab = Vocabularies()
    ctx = Context(vocab.names, vocab.groups, vocab.addresses)

    rng = random.Random(3)
    for query in (20140307, 20141011, 20100110, 20111111, 19991231, 20000101, 5, -1):
        text = f"{max(query, 0):08d}"
        near = {query, -1, int(swap_day_month(np.array([query]))[0])}
        for i in range(8):
            near |= {int(text[:i] + d + text[i + 1 :]) for d in "0123456789"}
        for i in range(7):
            near.add(int(text[:i] + text[i + 1] + text[i] + text[i + 2 :]))
        near |= {rng.randrange(19_000_000, 21_000_000) for _ in range(300)}
        dates = np.array(sorted(near), dtype=np.int32)
        one = Side({"dob": np.array([query], dtype=np.int32)})
        each = Side({"dob": np.full(dates.size, query, dtype=np.int32)})
        other = Side({"dob": dates})
        lookup = dob_levels(ctx, one, other, dates.size)
        pairs = dob_levels(ctx, each, other, dates.size)
        assert np.array_equal(lookup, pairs), query
        assert set(lookup.tolist()) >= ({-1, 0, 2, 3, 4, 5} if query > 0 else {-1})
