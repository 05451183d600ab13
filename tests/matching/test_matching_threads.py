"""Threads of one web worker share its index: searching at once gives what searching one at a
time gives. Each search interns the query's strings and forgets them after, so unguarded, one
thread's forgetting removes another's strings in the middle of its search."""

from __future__ import annotations

import random
import sys
import threading
from typing import Any

from bench.synthetic import corrupt, iter_population
from cme.matching import MatchIndex


def _queries(people: list[dict[str, str]], n: int) -> list[dict[str, Any]]:
    rng = random.Random(5)
    queries = []
    for i, person in enumerate(rng.sample(people, n)):
        query = corrupt(dict(person), rng)
        # A name and address no record has, so the search interns them and rolls them back.
        query["forename"] = f"{query.get('forename', '')}{'xq' * (1 + i % 5)}"
        query["address"] = f"{i} Nowhere Lane {i}"
        query["id"] = f"q{i}"
        queries.append(query)
    return queries


def _shape(matches: list[Any]) -> list[tuple[str, float]]:
    return [(m.id, round(m.probability, 12)) for m in matches]


def test_searches_from_many_threads_at_once_match_searches_one_at_a_time() -> None:
    people = list(iter_population(3000, seed=21))  # with ids: each a record of its own
    index = MatchIndex(people)
    assert len(index) == len(people)
    queries = _queries(people, 240)
    expected = [_shape(index.search(q, limit=5)) for q in queries]
    got: dict[int, list[tuple[str, float]]] = {}
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def work(offset: int) -> None:
        start.wait()
        try:
            for n in range(offset, len(queries), 8):
                got[n] = _shape(index.search(queries[n], limit=5))
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet the race
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert not failures, failures[:3]
    assert [got[n] for n in range(len(queries))] == expected
