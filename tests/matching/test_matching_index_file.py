"""The index saved to a file and mapped: the same candidates and probabilities as the index
built in memory, before and after changes; a file built by other code or for another model
is refused with a message that says what to do."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from bench.synthetic import corrupt, iter_population
from cme.matching import MatchIndex, default_model
from cme.matching.errors import IndexFileError
from cme.matching.indexfile import MAGIC, read_header

POPULATION = list(iter_population(3000, seed=21))


def _queries() -> list[dict]:
    rng = random.Random(5)
    noisy = [
        {**corrupt(p, rng, n_units=250), "id": f"q{i}"}
        for i, p in enumerate(rng.sample(POPULATION, 120))
    ]
    return noisy + rng.sample(POPULATION, 20)


def _results(index: MatchIndex, queries: list[dict]) -> list[list[tuple]]:
    out = []
    for q in queries:
        rows = index.candidates(q)
        ids = sorted(index._take(index._base.ids, index._ids, rows).tolist())
        found = [(m.id, m.probability, m.band, tuple(m.reasons)) for m in index.search(q)]
        out.append([tuple(ids), *found])
    return out


def _change(index: MatchIndex) -> None:
    index.remove(POPULATION[0]["id"])
    index.add({**POPULATION[1], "forename": "Zebedee"})  # replaces the record
    index.add([{**p, "id": f"{p['id']}~1", "surname": "Quill"} for p in POPULATION[2:40]])
    index.add({"id": "new", "forename": "Oyelaran", "surname": "Ndlovu", "postcode": "ZZ9 9ZZ"})


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "register.idx"
    MatchIndex(POPULATION).save(path)
    return path


def test_a_mapped_file_finds_the_same_candidates_with_the_same_probabilities(saved):
    queries = _queries()
    in_memory = MatchIndex(POPULATION)
    mapped = MatchIndex.load(saved)
    assert len(mapped) == len(in_memory) == len(POPULATION)
    assert _results(mapped, queries) == _results(in_memory, queries)
    assert any(len(r) > 2 for r in _results(mapped, queries))  # the queries do find records

    _change(in_memory)
    _change(mapped)
    assert len(mapped) == len(in_memory)
    assert _results(mapped, queries) == _results(in_memory, queries)
    assert mapped.search({**POPULATION[1], "id": "x"})[0].id == POPULATION[1]["id"]
    assert POPULATION[0]["id"] not in [m.id for m in mapped.search(POPULATION[0])]


def test_changes_stay_in_the_process_and_never_reach_the_file(saved):
    mapped = MatchIndex.load(saved)
    assert not mapped._base.data.flags.writeable  # shared pages: read-only
    mapped.remove(POPULATION[3]["id"])
    assert POPULATION[3]["id"] not in mapped
    again = MatchIndex.load(saved)
    assert POPULATION[3]["id"] in again and len(again) == len(POPULATION)


def test_the_ids_of_a_child_and_its_former_names_are_found_by_prefix(saved):
    mapped = MatchIndex.load(saved)
    rid = POPULATION[7]["id"]
    mapped.add({**POPULATION[7], "id": f"{rid}~1", "surname": "Quill"})
    assert mapped.ids_starting(f"{rid}~") == [f"{rid}~1"]
    assert rid in mapped and f"{rid}~2" not in mapped


def test_a_file_for_a_model_version_with_other_levels_is_refused(saved):
    model = default_model()
    levels = dict(model.comparisons)
    sex = levels["sex"]
    levels["sex"] = dataclasses.replace(sex, keys=("exact", "near", "else"))
    other = dataclasses.replace(model, version="v2", comparisons=levels)
    refused = rf"built for model '{model.version}'.*differ from model 'v2'"
    with pytest.raises(IndexFileError, match=refused):
        MatchIndex.load(saved, other)


def test_a_retrained_model_with_the_same_levels_searches_the_same_file(saved):
    """The file holds the records' features, not the model's weights: a manager's switch to a
    retrained model (cme match use) needs no new file, as it needs no rebuild."""
    retrained = dataclasses.replace(default_model(), version="v4-2026-12-03")
    mapped = MatchIndex.load(saved, retrained)
    assert mapped.model is retrained and mapped.search(POPULATION[5])[0].id == POPULATION[5]["id"]


def _rewrite_header(path, tmp_path, **changes):
    header, start = read_header(path)
    header.update(changes)
    raw = json.dumps(header).encode()
    body = path.read_bytes()[start:]
    new_start = -(-(len(MAGIC) + 8 + len(raw)) // 4096) * 4096
    out = tmp_path / "changed.idx"
    head = MAGIC + len(raw).to_bytes(8, "little") + raw
    out.write_bytes(head + b"\0" * (new_start - len(head)) + body)
    return out


def test_a_file_from_code_that_encodes_differently_is_refused(saved, tmp_path):
    changed = _rewrite_header(saved, tmp_path, fingerprint="0123456789abcdef")
    with pytest.raises(IndexFileError, match=r"encodes records differently.*build-index --out"):
        MatchIndex.load(changed)
    newer = _rewrite_header(saved, tmp_path, format=99)
    with pytest.raises(IndexFileError, match="file format 99, this code reads format 1"):
        MatchIndex.load(newer)
    as_built = _rewrite_header(saved, tmp_path)  # the rewrite itself keeps a file usable
    assert len(MatchIndex.load(as_built)) == len(POPULATION)


def test_a_file_for_a_model_with_other_levels_is_refused(saved, tmp_path):
    header, _ = read_header(saved)
    levels = dict(header["model"]["levels"])
    levels["date_of_birth"] = ["exact", "else"]
    changed = _rewrite_header(saved, tmp_path, model={**header["model"], "levels": levels})
    with pytest.raises(IndexFileError, match="comparison levels differ"):
        MatchIndex.load(changed)


def test_something_else_or_a_cut_short_file_is_refused(saved, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("not an index")
    with pytest.raises(IndexFileError, match="is not a match index file"):
        MatchIndex.load(other)
    short = tmp_path / "short.idx"
    short.write_bytes(saved.read_bytes()[:-5000])
    with pytest.raises(IndexFileError, match="shorter than its header says"):
        MatchIndex.load(short)
    with pytest.raises(IndexFileError, match="cannot be read"):
        MatchIndex.load(tmp_path / "missing.idx")
