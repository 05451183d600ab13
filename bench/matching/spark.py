"""Bulk linkage on Splink's Spark backend against its DuckDB backend, on the same data.

python -m bench.matching.spark [--quick]     # both backends; writes the "matching-spark"
                                             # section of docs/benchmarks.md
python -m bench.matching.spark one BACKEND N_RIGHT N_LEFT OUT.pkl   -> JSON on stdout

`one` runs `cme.matching.bulk.predict` on one backend in a process of its own, so its
memory is that backend's alone (on Spark: this process and the driver's JVM, a child
process of it), and keeps the pairs in OUT.pkl for the comparison. Spark runs as
`cme match link --backend spark` does without a session of its own (`bulk.spark_session`):
local, on every core.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.matching.common import measured, prf

ROOT = Path(__file__).resolve().parents[2]
SEED = 2024  # the held-out seed of bench.matching.accuracy
FULL = (20_000, 4_000)
QUICK = (5_000, 1_000)


def _task(n_right: int, n_left: int):
    from bench.synthetic import HELD_OUT_MIX, linkage_task

    return linkage_task(n_right, n_left, seed=SEED, mix=HELD_OUT_MIX)


def one(backend: str, n_right: int, n_left: int, out: str) -> dict:
    from cme.matching import bulk

    task = _task(n_right, n_left)
    gc.collect()
    with measured(children=True) as m:
        started = time.perf_counter()
        if backend == "spark":
            bulk.spark_session().sparkContext.setLogLevel("ERROR")
        session_s = time.perf_counter() - started
        df = bulk.predict(task.left, task.right, backend=backend)
    df.to_pickle(out)
    return {
        "backend": backend,
        "seconds": m.seconds,
        "session_s": session_s,
        "peak_rss_mb": m.peak_rss_mb,
        "start_rss_mb": m.start_rss_mb,
    }


def _run(*args) -> dict:
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.matching.spark", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(duck, spark, truth: set) -> dict:
    """What the two backends' outputs have in common and where they differ."""
    d = {(a, b): (p, band) for a, b, p, band in duck.itertuples(index=False)}
    s = {(a, b): (p, band) for a, b, p, band in spark.itertuples(index=False)}
    shared = d.keys() & s.keys()
    diffs = [abs(d[k][0] - s[k][0]) for k in shared]
    out = {
        "shared": len(shared),
        "duckdb_only": len(d.keys() - s.keys()),
        "spark_only": len(s.keys() - d.keys()),
        "max_diff": max(diffs, default=0.0),
        "band_differs": sum(d[k][1] != s[k][1] for k in shared),
    }
    for name, pairs in (("duckdb", d), ("spark", s)):
        likely = {k for k, (_, band) in pairs.items() if band == "likely"}
        out[name] = {"pairs": len(pairs), "likely": len(likely), "prf": prf(likely, truth)}
    return out


def run(quick: bool = False) -> str:
    import pandas as pd

    from bench.report import write_section

    n_right, n_left = QUICK if quick else FULL
    runs = {}
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cme-spark-bench-", dir=ROOT / "var") as scratch:
        frames = {}
        for backend in ("duckdb", "spark"):
            path = Path(scratch) / f"{backend}.pkl"
            runs[backend] = _run("one", backend, n_right, n_left, path)
            frames[backend] = pd.read_pickle(path)  # noqa: S301 - written by our own child
    task = _task(n_right, n_left)
    result = compare(frames["duckdb"], frames["spark"], task.truth)
    markdown = render(n_right, n_left, runs, result, quick)
    write_section("matching-spark", markdown)
    return markdown


def render(n_right: int, n_left: int, runs: dict, c: dict, quick: bool) -> str:
    rows = []
    for backend, label in (("duckdb", "DuckDB (in-process)"), ("spark", "Spark (local, 2 cores)")):
        r, x = runs[backend], c[backend]
        p, rec, f = x["prf"]
        session = f" (of which starting Spark {r['session_s']:.0f} s)" if backend == "spark" else ""
        rows.append(
            f"| {label} | {x['pairs']:,} | {x['likely']:,} | {p:.4f} | {rec:.4f} | {f:.4f} | "
            f"{r['seconds']:.1f}{session} | {r['peak_rss_mb']:.0f} |"
        )
    same = c["duckdb_only"] == 0 and c["spark_only"] == 0 and c["max_diff"] <= 1e-6
    checks = [
        ("the same pairs on both backends", c["duckdb_only"] == 0 and c["spark_only"] == 0),
        ("the same probability on every shared pair (to 1e-6)", c["max_diff"] <= 1e-6),
        ("the same band on every shared pair", c["band_differs"] == 0),
    ]
    targets = "\n".join(f"- {'met' if ok else '**missed**'}: {name}" for name, ok in checks)
    table = "\n".join(rows)
    verdict = "the same pairs with the same probabilities" if same else "different results"
    return f"""## Bulk linkage on Spark and on DuckDB (issue 15)

{"Quick run (small sizes): not the target's size." if quick else ""}
`cme.matching.bulk.predict` (`cme match link`) with the shipped model on both Splink backends,
on the same generated data: {n_left:,} referrals against a register of {n_right:,} children
(`bench.synthetic.linkage_task`, seed {SEED}, the held-out noise mix). Each backend runs in a
process of its own; Spark is the session `cme match link --backend spark` starts when there is
none (`bulk.spark_session`: local, every core, Splink's jar, four shuffle partitions a core,
Spark's own defaults otherwise).
Wall time is from the records in memory to the scored pairs, including starting Spark; peak
resident memory is the process's, and on Spark its children's too (the driver's JVM), sampled
every 20 ms. Precision, recall and F1 are of the likely band against the generated truth.

| backend | pairs | likely | precision | recall | F1 | wall time (s) | peak RSS (MB) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{table}

Both backends wrote {verdict}: {c["shared"]:,} pairs on both, {c["duckdb_only"]:,} on DuckDB
only, {c["spark_only"]:,} on Spark only; the largest difference in probability on a shared
pair is {c["max_diff"]:.2g}, and {c["band_differs"]:,} shared pairs are in different bands.

### Targets

{targets}
"""


def main(argv: list[str]) -> int:
    if argv[:1] == ["one"]:
        result = one(argv[1], int(argv[2]), int(argv[3]), argv[4])
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    print(run(quick="--quick" in argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
