import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import corrupt, generate_population, iter_population
from cme.matching import MatchIndex, compare, default_model

POPULATION = list(iter_population(400, seed=11))


@pytest.fixture(scope="module")
def index():
    return MatchIndex(POPULATION)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(POPULATION))
def test_a_record_always_finds_itself_first(index, record):
    matches = index.search(record, limit=3)
    assert matches[0].id == record["id"]
    assert matches[0].band == "likely"


names = st.sampled_from(["Alfie", "Alfred", "Ayesha", "Aisha", "Smith", "Smyth", "", "Jo"])
records = st.fixed_dictionaries(
    {
        "id": st.just("x"),
        "forename": names,
        "middle_names": names,
        "surname": names,
        "date_of_birth": st.sampled_from(["2014-03-07", "2014-07-03", "2014-03-08", ""]),
        "sex": st.sampled_from(["F", "M", ""]),
        "postcode": st.sampled_from(["LS6 2AB", "LS6 2AD", "LS7 1AA", ""]),
        "address": st.sampled_from(["1 High St", "2 High St", ""]),
        "upn": st.sampled_from(["P207000016049", ""]),
    }
)


@settings(max_examples=150, deadline=None)
@given(records, records)
def test_swapping_the_two_sides_gives_the_same_probability(a, b):
    assert compare(a, b).probability == pytest.approx(compare(b, a).probability, abs=1e-12)


def test_reasons_are_plain_english():
    a = {"id": "1", "forename": "Alfie", "surname": "Smith", "date_of_birth": "2014-03-07"}
    b = {"id": "2", "forename": "Alfred", "surname": "Smith", "date_of_birth": "2014-07-03"}
    match = compare(a, b)
    assert "first name is a known short form or variant: Alfie / Alfred" in match.reasons
    assert "date of birth has day and month swapped: 2014-03-07 / 2014-07-03" in match.reasons


def test_swapped_names_are_recognised():
    a = {"id": "1", "forename": "Khan", "surname": "Zainab", "date_of_birth": "2014-03-07"}
    b = {"id": "2", "forename": "Zainab", "surname": "Khan", "date_of_birth": "2014-03-07"}
    match = compare(a, b)
    assert match.reasons[0] == "forename and surname are swapped"
    assert match.probability > 0.5


def test_twins_are_never_likely():
    twin_a = {
        "id": "1",
        "forename": "Oliver",
        "surname": "Green",
        "date_of_birth": "2014-03-07",
        "postcode": "LS6 2AB",
        "address": "1 High St",
        "sex": "M",
    }
    twin_b = {**twin_a, "id": "2", "forename": "George"}
    assert compare(twin_a, twin_b).band != "likely"


def test_corrupted_copies_are_found(index):
    rng = random.Random(3)
    people = generate_population(400, seed=11)
    found = 0
    for person in people[:100]:
        query = corrupt(person, rng, n_units=100)
        top = index.search({**query, "id": "q"}, limit=1)
        found += bool(top) and top[0].id == f"P{person['person_id']}"
    assert found >= 90


def test_add_and_remove():
    idx = MatchIndex(POPULATION[:50])
    newcomer = {**POPULATION[60], "id": "new"}
    assert not any(m.id == "new" for m in idx.search(newcomer))
    idx.add(newcomer)
    assert idx.search(newcomer)[0].id == "new"
    assert len(idx) == 51
    assert idx.remove("new") and not idx.remove("new")
    assert not any(m.id == "new" for m in idx.search(newcomer))
    assert len(idx) == 50
    idx.add({**newcomer, "surname": "Changed"})  # re-adding an id replaces the record
    idx.add({**newcomer, "surname": "Changed"})
    assert len(idx) == 51


def test_missing_fields_do_not_crash_or_dominate(index):
    sparse = {"id": "s", "forename": POPULATION[0]["forename"]}
    for m in index.search(sparse):
        assert m.band != "likely"
    assert index.search({"id": "empty"}) == []


def test_model_has_documented_bands():
    model = default_model()
    assert model.band(0.99) == "likely" and model.band(0.6) == "possible"
    assert model.band(0.1) == "unlikely"


def test_prior_is_scaled_down_for_a_larger_register():
    model = default_model()
    trained = model.register_size
    assert trained
    assert model.prior_for(None) == model.prior
    assert model.prior_for(trained // 10) == model.prior  # never raised for a small register
    assert model.prior_for(trained * 20) == pytest.approx(model.prior / 20)
    assert model.prior_weight_for(trained * 4) == pytest.approx(model.prior_weight - 2, abs=1e-3)


def test_bulk_settings_carry_the_scaled_prior():
    from cme.matching.bulk import _settings

    model = default_model()
    size = (model.register_size or 1) * 10
    settings = _settings(model, "link_only", size)
    assert settings["probability_two_random_records_match"] == pytest.approx(model.prior / 10)


def test_untrained_levels_carry_no_weight_in_the_file():
    from cme.matching.model import model_from_dict
    from cme.matching.train import neutralise_untrained

    data = json.loads(default_model().to_json())
    level = data["comparisons"][3]["comparison_levels"][2]
    level.pop("m_probability", None)
    level["u_probability"] = 1e-7
    fixed = neutralise_untrained(data)
    assert level["m_probability"] == level["u_probability"] == 1e-7
    assert model_from_dict(fixed).comparisons["postcode"].weights[1] == pytest.approx(0.0)
