"""Lookups at national scale: the index built once into a file that web workers map.

python -m bench.matching.lookups [--quick]     # every size; writes the "matching-lookups"
                                               # section of docs/benchmarks.md
python -m bench.matching.lookups --keep DIR    # the same, serving the files built in DIR
python -m bench.matching.lookups build N K DIR     -> DIR/index-N.idx, DIR/queries-N.json; JSON
python -m bench.matching.lookups serve N DIR WORKERS -> JSON
python -m bench.matching.lookups memory N K    -> JSON (the index built in the process itself)

`build` generates N children (`bench.synthetic`, seed 0: deterministic) straight into the
index, saves it, and keeps K of them, corrupted, as queries (the same queries as
`bench.matching.scale`). `serve` is gunicorn's preload_app: one process maps the file and
forks WORKERS workers; each searches its share of the queries (one worker at a time, so
that timings are not two searches sharing a core), then each reports its memory from
/proc/PID/smaps_rollup and the index file's own mapping from /proc/PID/smaps, all while the
workers are alive.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil

from bench.matching.common import measured

ROOT = Path(__file__).resolve().parents[2]
FULL = {"sizes": (1_000_000, 9_000_000), "queries": 1_000, "workers": 4}
QUICK = {"sizes": (50_000,), "queries": 200, "workers": 4}
SPLINK = {"full": (100_000, 20), "quick": (10_000, 5)}


def _population_and_queries(n: int, k: int, seed: int = 99):
    """The population as records, collecting the queries `bench.matching.scale` would make
    from it while it is generated (so 9 million are generated once, not twice)."""
    from bench.synthetic import _generate, _public, corrupt

    rng = random.Random(seed)
    wanted = set(rng.sample(range(n), k))
    chosen: list[dict] = []

    def records():
        for i, person in enumerate(_generate(n, 0)):
            if i in wanted:
                chosen.append(person)
            yield _public(person, f"P{person['person_id']}")

    def queries() -> list[dict]:
        return [{**corrupt(p, rng, n_units=n // 12), "id": f"q{i}"} for i, p in enumerate(chosen)]

    return records(), queries


def build(n: int, k: int, directory: str) -> dict:
    from cme.matching import MatchIndex

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    records, queries = _population_and_queries(n, k)
    with measured() as m:
        index = MatchIndex(records)
        built = time.perf_counter()
        index.save(out / f"index-{n}.idx")
        saved = time.perf_counter() - built
    (out / f"queries-{n}.json").write_text(json.dumps(queries()))
    result = {
        "records": n,
        "build_s": m.seconds - saved,
        "save_s": saved,
        "peak_rss_mb": m.peak_rss_mb,
        "file_mb": (out / f"index-{n}.idx").stat().st_size / 2**20,
        "array_mb": index.nbytes / 2**20,
    }
    (out / f"build-{n}.json").write_text(json.dumps(result))
    return result


def _smaps_rollup(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        out[name] = int(value.split()[0]) / 1024
    return out


def _file_mapping(pid: int, path: str) -> dict[str, float]:
    """Rss, Pss and private pages of the mappings of `path` in process pid, in MB."""
    totals = {"Rss": 0.0, "Pss": 0.0, "Private_Clean": 0.0, "Private_Dirty": 0.0}
    inside = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
            inside = len(head) >= 6 and head[-1] == path
            continue
        if inside:
            name = line.split(":", 1)[0]
            if name in totals:
                totals[name] += int(line.split()[1]) / 1024
    return totals


def _memory(pid: int, path: str) -> dict:
    roll = _smaps_rollup(pid)
    private = roll.get("Private_Clean", 0) + roll.get("Private_Dirty", 0)
    return {
        "rss_mb": roll["Rss"],
        "pss_mb": roll["Pss"],
        "private_mb": private,
        "shared_mb": roll["Rss"] - private,
        "index_file": _file_mapping(pid, path),
    }


def serve(n: int, directory: str, workers: int) -> dict:
    from cme.matching import MatchIndex

    path = os.path.abspath(Path(directory) / f"index-{n}.idx")
    queries = json.loads((Path(directory) / f"queries-{n}.json").read_text())
    t0 = time.perf_counter()
    index = MatchIndex.load(path)
    load_s = time.perf_counter() - t0
    gc.collect()
    master = _memory(os.getpid(), path)
    turns = [os.pipe() for _ in range(workers + 1)]  # worker i starts when pipe i is written
    results = [os.pipe() for _ in range(workers)]
    done = os.pipe()
    children = []
    for w in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker, as gunicorn forks them after preloading the app
            os.read(turns[w][0], 1)
            index.search(queries[0])
            times = []
            for q in queries[w::workers]:  # a share each: every query is searched once
                t, c = time.perf_counter(), time.thread_time()
                index.search(q, limit=10)
                times.append((time.perf_counter() - t, time.thread_time() - c))
            os.write(turns[w + 1][1], b"x")  # the next worker's turn
            os.write(results[w][1], json.dumps(times).encode() + b"\n")
            os.read(done[0], 1)  # stay alive until the parent has read every worker's memory
            os._exit(0)
        children.append(pid)
    os.write(turns[0][1], b"x")
    os.read(turns[workers][0], 1)
    times: list[list[float]] = []
    for w in range(workers):
        with os.fdopen(results[w][0]) as handle:
            times += json.loads(handle.readline())
    memory = [_memory(pid, path) for pid in children]
    os.write(done[1], b"x" * workers)
    for pid in children:
        os.waitpid(pid, 0)
    ms = np.array(times) * 1000
    return {
        "records": n,
        "queries": len(queries),
        "workers": workers,
        "load_s": load_s,
        "file_mb": os.path.getsize(path) / 2**20,
        "p50_ms": float(np.percentile(ms[:, 0], 50)),
        "p99_ms": float(np.percentile(ms[:, 0], 99)),
        "cpu_p50_ms": float(np.percentile(ms[:, 1], 50)),
        "cpu_p99_ms": float(np.percentile(ms[:, 1], 99)),
        "master": master,
        "workers_memory": memory,
        "total_pss_mb": master["pss_mb"] + sum(m["pss_mb"] for m in memory),
        "load_average": os.getloadavg()[0],
    }


def memory(n: int, k: int) -> dict:
    """The index built in this process, as `bench.matching.scale lookup` measured it."""
    from cme.matching import MatchIndex

    records, queries = _population_and_queries(n, k)
    gc.collect()
    base = psutil.Process().memory_info().rss / 2**20
    t0 = time.perf_counter()
    index = MatchIndex(records)
    build_s = time.perf_counter() - t0
    gc.collect()
    after = psutil.Process().memory_info().rss / 2**20
    times = []
    for q in queries():
        t = time.perf_counter()
        index.search(q, limit=10)
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1000
    return {
        "records": n,
        "build_s": build_s,
        "index_rss_mb": after - base,
        "process_rss_mb": after,
        "array_mb": index.nbytes / 2**20,
        "p50_ms": float(np.percentile(ms, 50)),
        "p99_ms": float(np.percentile(ms, 99)),
    }


def _run(*args: object) -> dict:
    out = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.matching.lookups", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False, keep: str | None = None) -> str:
    """Build and serve each size; with `keep` a directory, files already built there (by
    `build` with the same code) are served again rather than built again."""
    import tempfile

    from bench.report import write_section

    sizes = QUICK if quick else FULL
    rows = []
    (ROOT / "var").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cme-index-", dir=ROOT / "var") as scratch:
        directory = keep or scratch
        for n in sizes["sizes"]:
            made = Path(directory) / f"build-{n}.json"
            built = (
                json.loads(made.read_text())
                if keep and made.exists()
                else _run("build", n, sizes["queries"], directory)
            )
            served = _run("serve", n, directory, sizes["workers"])
            rows.append((built, served))
            if not keep:
                (Path(directory) / f"index-{n}.idx").unlink()
    in_memory = _run("memory", sizes["sizes"][0], sizes["queries"])
    splink = _run_scale("splink_lookup", *SPLINK["quick" if quick else "full"])
    markdown = render(rows, in_memory, splink, quick)
    write_section("matching-lookups", markdown)
    return markdown


def _run_scale(kind: str, a: int, b: int) -> dict:
    out = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.matching.scale", kind, str(a), str(b)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _worker_cells(served: dict) -> str:
    w = served["workers_memory"]
    rss = max(m["rss_mb"] for m in w)
    pss = max(m["pss_mb"] for m in w)
    private = max(m["private_mb"] for m in w)
    mapped = max(m["index_file"]["Rss"] for m in w)
    return (
        f"{rss:,.0f} MB resident ({mapped:,.0f} MB of it the shared file), "
        f"{private:,.0f} MB private, PSS {pss:,.0f} MB"
    )


def render(rows, in_memory, splink, quick) -> str:
    lines = [
        "| engine | records | queries | p50 (ms) | p99 (ms) | CPU p50 / p99 (ms) "
        "| resident memory |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    checks = []
    for _, served in rows:
        n = served["records"]
        lines.append(
            f"| this engine, file mapped by {served['workers']} forked workers "
            f"(`MatchIndex.load`) | {n:,} | {served['queries']:,} | "
            f"{served['p50_ms']:.2f} | {served['p99_ms']:.2f} | "
            f"{served['cpu_p50_ms']:.2f} / {served['cpu_p99_ms']:.2f} | each worker: "
            f"{_worker_cells(served)}; all {served['workers']} workers and the master "
            f"together (PSS) {served['total_pss_mb']:,.0f} MB |"
        )
        worst = max(m["rss_mb"] for m in served["workers_memory"])
        budget = 400 if n <= 1_000_000 else 4096
        checks += [
            (f"lookup p50 ≤ 5 ms at {n:,}", served["p50_ms"] <= 5),
            (f"lookup p99 ≤ 20 ms at {n:,}", served["p99_ms"] <= 20),
            (f"a worker ≤ {budget:,} MB resident at {n:,}", worst <= budget),
            (
                f"{served['workers']} workers together ≤ {budget:,} MB (PSS) at {n:,}",
                served["total_pss_mb"] <= budget,
            ),
        ]
    lines.append(
        f"| this engine, built in the process (`MatchIndex(records)`) | "
        f"{in_memory['records']:,} | {rows[0][1]['queries']:,} | {in_memory['p50_ms']:.2f} | "
        f"{in_memory['p99_ms']:.2f} | | process {in_memory['process_rss_mb']:,.0f} MB "
        f"(index {in_memory['index_rss_mb']:,.0f} MB, of which arrays "
        f"{in_memory['array_mb']:,.0f} MB); built in {in_memory['build_s']:.0f} s |"
    )
    lines.append(
        f"| Splink stock (`{splink['method']}`) | {splink['records']:,} | "
        f"{splink['queries']:,} | {splink['p50_ms']:.0f} | {splink['p99_ms']:.0f} | | "
        f"process {splink['process_rss_mb']:,.0f} MB |"
    )
    builds = "\n".join(
        f"- {b['records']:,} records: built in {b['build_s']:.0f} s and saved in "
        f"{b['save_s']:.0f} s (peak {b['peak_rss_mb']:,.0f} MB while building); the file is "
        f"{b['file_mb']:,.0f} MB; a worker maps it in {s['load_s'] * 1000:.0f} ms."
        for b, s in rows
    )
    load = ", ".join(f"{s['load_average']:.1f}" for _, s in rows)
    targets = "\n".join(f"- {'met' if ok else '**missed**'}: {name}" for name, ok in checks)
    quick_note = "Quick run (small sizes): not the targets' sizes.\n" if quick else ""
    return f"""## Child matching: lookups at national scale (issue 15 item 5)

{quick_note}Generated children (`bench.synthetic`, seed 0), {rows[0][1]["queries"]:,} of them
corrupted as queries (seed 99, as `bench.matching.scale`). The index is built once into a
file (`cme match build-index`); one process maps it and forks the workers, as gunicorn does
with `preload_app`; the workers search a share of the queries each, one worker at a time.
Memory is read from `/proc/PID/smaps_rollup` while all the workers are alive: "resident"
counts the pages of the file a worker has touched, which are the page cache's and the same
for every worker;
"private" is what that worker alone holds; PSS shares each page among the processes mapping
it, so the PSS of all the processes together is the memory they take between them. Splink
is measured against {splink["records"]:,} records (its lookup is a link job that grows with
the register; see "Single lookups" in the "Child matching" section for why).

{chr(10).join(lines)}

{builds}

Load average (1 minute) at the end of each serve run: {load} on 2 cores shared with other
work, so the wall times (p50, p99) include waiting for a core; the CPU times are the search's
own thread time (`time.thread_time`), which waiting does not count, though sharing the
cores' caches still slows it.

### Targets

{targets}
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("--quick", "--keep"):
        keep = argv[1] if argv[:1] == ["--keep"] else None
        print(run(quick=argv[:1] == ["--quick"], keep=keep))
        return 0
    kind = argv[0]
    if kind == "build":
        result = build(int(argv[1]), int(argv[2]), argv[3])
    elif kind == "serve":
        result = serve(int(argv[1]), argv[2], int(argv[3]))
    else:
        result = memory(int(argv[1]), int(argv[2]))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
