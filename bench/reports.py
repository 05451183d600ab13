"""Reports benchmark: the DfE return and the management team's pack on the bench register.

    python -m bench.reports                 # 100,000 cases (issue 14: "finish in seconds")
    python -m bench.reports --cases 2000    # a smoke run: checks it works, not how fast

Each database runs in its own subprocess, as bench.register does: it migrates an empty
database, loads the register bench's cases (bench.register.load), rebuilds each case's status
history from its timeline as the migration that added the history does
(cme.cases.history.steps_from_timeline), adds a home education register, loads the term dates,
then times the return for the autumn census and the pack for the school year to date.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "reports.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/cme_bench_reports"
FULL_CASES = 100_000
QUICK_CASES = 2_000
CENSUS = date(2026, 10, 1)
PERIOD = (date(2026, 8, 1), date(2026, 11, 1))
TODAY = date(2026, 11, 1)


def _run_worker(label: str, url: str, cases: int, repeats: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cme.settings.test"}
    args = [
        sys.executable,
        "-m",
        "bench.reports",
        "--worker",
        "--cases",
        str(cases),
        "--repeats",
        str(repeats),
    ]
    print(f"reports bench: {label}, {cases:,} cases ...", flush=True)
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(quick: bool = False, cases: int | None = None) -> str:
    from bench.register import _pg_admin

    cases = cases or (QUICK_CASES if quick else FULL_CASES)
    repeats = 3 if cases <= QUICK_CASES else 10
    results: dict[str, dict[str, Any]] = {}
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    results["SQLite"] = _run_worker("SQLite", f"sqlite:///{SQLITE_PATH}", cases, repeats)
    problem = _pg_admin("DROP DATABASE IF EXISTS cme_bench_reports WITH (FORCE)") or _pg_admin(
        "CREATE DATABASE cme_bench_reports"
    )
    if problem:
        results["PostgreSQL"] = {"error": f"PostgreSQL unreachable at 127.0.0.1:5432 ({problem})"}
    else:
        results["PostgreSQL"] = _run_worker("PostgreSQL", PG_URL, cases, repeats)
        _pg_admin("DROP DATABASE IF EXISTS cme_bench_reports WITH (FORCE)")
    markdown = render(results, cases, repeats)
    from bench.report import write_section

    write_section("reports", markdown)
    print(markdown)
    return markdown


def render(results: dict[str, dict[str, Any]], cases: int, repeats: int) -> str:
    scale = "" if cases >= FULL_CASES else " (a smoke run: it checks the reports work, not speed)"
    lines = [
        "## Reports: the DfE return and the management team's pack",
        "",
        f"{cases:,} cases from the register bench{scale}, their status history rebuilt from "
        f"the timeline; each report run {repeats} times after one warm-up run. The DfE return "
        f"for the census of {CENSUS:%-d %B %Y}; the pack for {PERIOD[0]:%-d %B %Y} to "
        f"{PERIOD[1]:%-d %B %Y}. Issue 14: reports on 100,000 cases finish in seconds.",
        "",
        "| Report | Database | p50 (s) | p95 (s) | Figures |",
        "|---|---|---|---|---|",
    ]
    for database, result in results.items():
        if "error" in result:
            lines.append(f"| all | {database} | - | - | {result['error']} |")
            continue
        for name, timing in result["reports"].items():
            lines.append(
                f"| {name} | {database} | {timing['p50']:.2f} | {timing['p95']:.2f} | "
                f"{timing['figures']} |"
            )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- worker side


def _history() -> int:
    """Each case's status history from its timeline, written in bulk."""
    from cme.cases.history import steps_from_timeline
    from cme.cases.models import Case, CaseEvent, CaseStatusChange

    events: dict[int, list[tuple[str, date, str]]] = {}
    for case_id, kind, at, to_status in (
        CaseEvent.objects.order_by("case_id", "at", "id")
        .values_list("case_id", "kind", "at", "to_status")
        .iterator(chunk_size=10_000)
    ):
        events.setdefault(case_id, []).append((kind, at.date(), to_status))
    now = datetime.now(tz=UTC)
    rows = [
        CaseStatusChange(
            case_id=pk,
            status=step.status,
            outcome=step.outcome,
            effective_on=step.effective_on,
            recorded_at=now,
        )
        for pk, status, outcome, opened_on, closed_on in Case.objects.values_list(
            "pk", "status", "outcome", "opened_on", "closed_on"
        ).iterator(chunk_size=10_000)
        for step in steps_from_timeline(
            opened_on=opened_on,
            status=status,
            outcome=outcome,
            closed_on=closed_on,
            events=events.get(pk, []),
        )
    ]
    CaseStatusChange.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _home_education(cases: int) -> None:
    from cme.checks.models import HomeEducatedChild
    from cme.rules import dfe_categories

    rng = random.Random(14)
    HomeEducatedChild.objects.bulk_create(
        (
            HomeEducatedChild(
                forename="Bench",
                surname=f"Child{n}",
                date_of_birth=TODAY - timedelta(days=rng.randint(5 * 365, 16 * 365)),
                sex=rng.choice("MFU"),
                started_on=TODAY - timedelta(days=rng.randint(10, 900)),
                reason=rng.choice(dfe_categories.EHE_REASONS),
                fictional=True,
            )
            for n in range(max(cases // 20, 10))
        ),
        batch_size=5000,
    )


def _time(call: Any, repeats: int) -> tuple[dict[str, float], Any]:
    result = call()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.monotonic()
        result = call()
        times.append(time.monotonic() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {"p50": statistics.median(times), "p95": p95}, result


def worker(cases: int, repeats: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.register import load
    from cme.calendars.services import term_dates_import
    from cme.demo.builder import DEMO_TERM_DATES
    from cme.reports.census import census_for
    from cme.reports.dfe_return import dfe_return
    from cme.reports.pack import management_pack

    load({"cases": cases, "audit": cases, "requests": 0, "warmup": 0})
    changes = _history()
    _home_education(cases)
    for path in DEMO_TERM_DATES:
        term_dates_import(path=path)
    census_for(CENSUS, today=TODAY)  # the date is a census: the bench times real work
    reports: dict[str, dict[str, Any]] = {}
    timing, result = _time(lambda: dfe_return(CENSUS), repeats)
    total = result.count("CME", "Total")
    assert total > 0, "the bench register has no child missing education on the census"
    reports["DfE return"] = {**timing, "figures": f"{len(result.figures)} figures, CME {total}"}
    timing, pack = _time(lambda: management_pack(*PERIOD, today=TODAY), repeats)
    referrals = pack.section("referrals-route").total()
    reports["Management team pack"] = {
        **timing,
        "figures": f"{len(pack.sections)} sections, {referrals} referrals",
    }
    return {"reports": reports, "status_changes": changes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CASES:,} cases")
    parser.add_argument("--cases", type=int, help="how many cases (default 100,000)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(worker(args.cases, args.repeats)))
        return
    run(quick=args.quick, cases=args.cases)


if __name__ == "__main__":
    main()
