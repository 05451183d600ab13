"""Scale runs, each in its own process so resident memory is the engine's alone.

python -m bench.matching.scale lookup N QUERIES   -> JSON on stdout
python -m bench.matching.scale splink_lookup N QUERIES
python -m bench.matching.scale bulk N_RIGHT N_LEFT
"""

from __future__ import annotations

import gc
import json
import logging
import random
import sys
import time

import numpy as np
import psutil

from bench.matching.common import measured


def _rss() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _queries(n: int, k: int, seed: int = 99) -> list[dict]:
    from bench.synthetic import _generate, corrupt

    rng = random.Random(seed)
    wanted = sorted(rng.sample(range(n), k))
    # regenerate only the chosen people (the generator is deterministic)
    chosen, j = [], 0
    for i, person in enumerate(_generate(n, 0)):
        if j < len(wanted) and i == wanted[j]:
            chosen.append(person)
            j += 1
    return [{**corrupt(p, rng, n_units=n // 12), "id": f"q{i}"} for i, p in enumerate(chosen)]


def lookup(n: int, k: int) -> dict:
    from bench.synthetic import iter_population
    from cme.matching import MatchIndex

    queries = _queries(n, k)
    gc.collect()
    base = _rss()
    t0 = time.perf_counter()
    index = MatchIndex(iter_population(n, seed=0))
    build = time.perf_counter() - t0
    gc.collect()
    after = _rss()
    index.search(queries[0])  # warm caches
    times = []
    found = 0
    for q in queries:
        t = time.perf_counter()
        result = index.search(q, limit=10)
        times.append(time.perf_counter() - t)
        found += bool(result)
    ms = np.array(times) * 1000
    return {
        "records": n,
        "queries": k,
        "build_s": build,
        "index_rss_mb": after - base,
        "process_rss_mb": after,
        "array_mb": index.nbytes / 2**20,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "mean_candidates": None,
        "with_candidates": found,
    }


def splink_lookup(n: int, k: int) -> dict:
    """Splink's own lookup of one new record against n, with its stock comparisons."""
    from splink import DuckDBAPI, Linker

    from bench.matching.engines import stock_frame, stock_linker
    from bench.synthetic import iter_population

    queries = _queries(n, k)
    base = _rss()
    frame = stock_frame(list(iter_population(n, seed=0)))
    linker = stock_linker([frame], "dedupe_only", True)
    settings = linker.misc.save_model_to_json()
    settings["link_type"] = "link_only"
    api = DuckDBAPI()
    registered = api.register(frame, dataset_display_name="register")
    times = []
    t_start = time.perf_counter()
    for i, q in enumerate(queries):
        t = time.perf_counter()
        new = api.register(stock_frame([q]), dataset_display_name=f"new_{i}")
        lk = Linker([new, registered], settings, log_level=logging.WARNING)
        lk.inference.predict(threshold_match_probability=0.1).as_pandas_dataframe()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - t_start > 120:
            break
    ms = np.array(times) * 1000
    return {
        "records": n,
        "queries": len(times),
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
        "process_rss_mb": _rss(),
        "rss_increase_mb": _rss() - base,
        "method": "Linker([new record, register], trained stock model).inference.predict()",
    }


def bulk(n_right: int, n_left: int) -> dict:
    from bench.synthetic import linkage_task
    from cme.matching import bulk as bulk_mod

    task = linkage_task(n_right, n_left, seed=5)
    gc.collect()
    with measured() as m:
        df = bulk_mod.predict(task.left, task.right)
    likely = df[df["band"] == "likely"]
    pairs = set(zip(likely["left_id"], likely["right_id"], strict=True))
    tp = len(pairs & task.truth)
    return {
        "right": n_right,
        "left": n_left,
        "seconds": m.seconds,
        "peak_rss_mb": m.peak_rss_mb,
        "start_rss_mb": m.start_rss_mb,
        "pairs_written": len(df),
        "precision": tp / max(len(pairs), 1),
        "recall": tp / max(len(task.truth), 1),
    }


def main(argv: list[str]) -> int:
    kind, a, b = argv[0], int(argv[1]), int(argv[2])
    result = {"lookup": lookup, "splink_lookup": splink_lookup, "bulk": bulk}[kind](a, b)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
