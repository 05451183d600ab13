"""A search scores in full only the candidates whose weight bound can reach its top matches
(`cme.matching.bounds`). These check that this never changes an answer: the pruned search
gives exactly the matches, probabilities, bands and reasons of scoring every candidate, and
the bounds hold for every candidate of every query."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from bench.synthetic import corrupt, iter_population
from cme.matching import MatchIndex
from cme.matching import index as index_module
from cme.matching.bounds import JaroWinklerBound, NameSignatures, _similarity_bound, weight_bounds
from cme.matching.features import (
    FIELDS,
    Vocab,
    encode_many,
    side_from_matrix,
    vocab_mark,
    vocab_rollback,
)
from cme.matching.scorer import TermFrequencies, score

LIMITS = ((1, 0.0), (3, 0.0), (10, 0.0), (10, 0.5), (25, 0.0), (5, 0.95))


@pytest.fixture(autouse=True)
def prune_every_search(monkeypatch):
    """Prune however few the candidates, so that small test registers exercise it."""
    monkeypatch.setattr(index_module, "PRUNE_FROM", 0)


def _crowded(n: int, seed: int) -> list[dict[str, str]]:
    """A population squeezed into few birthdays and postcodes, so that each query has
    hundreds of candidates (as at national scale) rather than a handful."""
    rng = random.Random(seed)
    people = list(iter_population(n, seed=seed))
    days = [f"2015-0{m}-1{d}" for m in range(1, 4) for d in range(3)]
    for person in people:
        person["date_of_birth"] = rng.choice(days)
        if rng.random() < 0.5:
            person["postcode"] = rng.choice(["LS6 2AB", "LS6 2AD", "LS7 1AA"])
    return people


def _twin(person: dict[str, str], rid: str, forename: str) -> dict[str, str]:
    return {**person, "id": rid, "forename": forename, "upn": ""}


def _queries(people: list[dict[str, str]], k: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i, person in enumerate(rng.sample(people, k)):
        query = corrupt(dict(person), rng, n_units=50)
        if i % 4 == 1:  # forename and surname exchanged
            query["forename"], query["surname"] = (
                query.get("surname", ""),
                query.get("forename", ""),
            )
        if i % 6 == 2:  # a name no record has
            query["forename"] = f"{query.get('forename', '')}q"
        if i % 9 == 3:  # the record itself, id and all (its own id breaks ties first)
            query = dict(person)
        query.setdefault("id", f"q{i}")
        out.append(query)
    return out


def _same(index: MatchIndex, queries: list[dict[str, Any]]) -> int:
    """Assert the pruned and the full search agree on every query; the matches compared."""
    compared = 0
    for query in queries:
        for limit, floor in LIMITS:
            full = index._search(query, limit, floor, prune=False)
            pruned = index._search(query, limit, floor, prune=True)
            assert pruned == full, (query, limit, floor)
            assert index.search(query, limit=limit, min_probability=floor) == full
            compared += len(full)
        # leaving out the children of the best two matches (the register leaves out a
        # child's own records): they are neither returned nor rivals
        best = index._search(query, 2, 0.0, prune=False)
        skip = {m.id.split("~")[0] for m in best}
        full = index._search(query, 10, 0.0, skip, prune=False)
        assert index.search(query, limit=10, exclude=skip) == full, (query, skip)
        compared += len(full)
    return compared


def _bounds_hold(index: MatchIndex, queries: list[dict[str, Any]]) -> None:
    """For every candidate: lower bound <= the weight scoring gives <= upper bound."""
    for query in queries:
        mark = vocab_mark(index.vocab)
        try:
            q = encode_many(index.vocab, [query]).astype(np.int32)
            rows = index._candidates(q)
            if not rows.size:
                continue
            x = side_from_matrix(q)
            y = side_from_matrix(index._take(index._base.data, index._data, rows))
            tf = TermFrequencies(index._fn_counts, index._sn_counts, index._live)
            n = rows.size
            scored = score(index.model, index.vocab, x, y, n, tf, register_size=index._live)
            high, low = weight_bounds(index.model, index.vocab, x, y, n, tf, index._live)
            assert (low <= scored.weight).all() and (scored.weight <= high).all(), query
        finally:
            vocab_rollback(index.vocab, mark)


@pytest.fixture(scope="module")
def crowded() -> list[dict[str, str]]:
    people = _crowded(2500, seed=31)
    # twins and triplets: same surname, birthday, address; other first names
    people += [_twin(p, f"T{i}", n) for i, p in enumerate(people[:40]) for n in ("Amara", "Zed")]
    # one child recorded twice: under a former surname, and by another source (id child~2)
    people += [{**p, "id": f"{p['id']}~2", "surname": "Formerly"} for p in people[40:80]]
    people += [{**p, "id": f"{p['id']}~3", "address": ""} for p in people[80:120]]
    return people


def test_pruned_search_gives_what_scoring_every_candidate_gives(crowded) -> None:
    index = MatchIndex(crowded)
    queries = _queries(crowded, 150, seed=3)
    sizes = [index.candidates(q).size for q in queries]
    assert np.median(sizes) > 100  # the pruning has something to prune
    assert _same(index, queries) > 1000
    _bounds_hold(index, queries)


def test_records_added_and_removed_after_building_are_searched_the_same(crowded, tmp_path):
    index = MatchIndex(crowded[:1500])
    index.save(tmp_path / "index.idx")
    for source in (index, MatchIndex.load(tmp_path / "index.idx")):
        rng = random.Random(8)
        # new names the string tables do not hold, in the in-memory part
        added = [
            {**corrupt(dict(p), rng, n_units=50), "id": f"N{i}", "forename": f"Zq{p['forename']}"}
            for i, p in enumerate(crowded[1500:1900])
        ]
        source.add(added)
        source.add(crowded[1900:2100])
        for person in crowded[:300:3]:
            source.remove(person["id"])
        queries = _queries(crowded[1500:2100] + crowded[:300], 80, seed=4)
        assert _same(source, queries) > 300
        _bounds_hold(source, queries)


def test_a_register_too_small_for_term_frequencies_and_a_model_without_the_guard(crowded):
    index = MatchIndex(crowded[:600])
    queries = _queries(crowded[:600], 40, seed=5)
    _same(index, queries)
    index.one_child = False  # deduplication: no sharing among candidates
    _same(index, queries)
    index.one_child = True
    index.model = _model_without_guard(index.model)
    _same(index, queries)
    _bounds_hold(index, queries)


def _model_without_guard(model):
    from dataclasses import replace

    return replace(model, sibling_guard=False, swap_penalty=0.5)


words = st.text(alphabet="aabcdeeilmnorstuyzé-' ", min_size=1, max_size=12)


@settings(max_examples=400, deadline=None)
@given(words, words)
def test_the_name_bound_is_never_below_jaro_winkler(a: str, b: str) -> None:
    sa, sb = NameSignatures.of_strings([a]), NameSignatures.of_strings([b])
    bound = float(_similarity_bound(sa, sb)[0])
    assert bound + 1e-12 >= JaroWinkler.normalized_similarity(a, b)


def test_the_bound_of_a_plain_vocabulary_matches_its_strings() -> None:
    vocab = Vocab()
    names = ["oliver", "olivia", "jack", "zoë", "o", "mohammed", "muhammad"]
    codes = np.array([vocab.code(n) for n in names])
    bound = JaroWinklerBound(
        vocab,
        side_from_matrix(np.zeros((1, len(FIELDS)), np.int32)),
        side_from_matrix(np.zeros((1, len(FIELDS)), np.int32)),
    )
    got = bound(codes[:, None], codes[None, :])
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            assert got[i, j] + 1e-12 >= JaroWinkler.normalized_similarity(a, b)
    assert got[names.index("oliver"), names.index("jack")] < 0.8  # and it rules pairs out


def test_the_bounds_are_made_for_the_comparisons_and_model_in_use() -> None:
    from dataclasses import replace

    from cme.matching import default_model
    from cme.matching.bounds import fits

    model = default_model()
    assert fits(model)  # else every search scores every candidate, slowly
    changed = dict(model.comparisons)
    changed["sex"] = replace(changed["sex"], keys=("exact", "other", "else"))
    assert not fits(replace(model, comparisons=changed))
