"""Reports benchmark: the DfE return and the management team's pack on the bench register.

    python -m bench.reports                 # 100,000 cases (issue 14: "finish in seconds")
    python -m bench.reports --cases 2000    # a smoke run: checks it works, not how fast
    python -m bench.reports --database postgresql   # one database only

Each database runs in its own subprocess, as bench.register does: it migrates an empty
database, loads the register bench's cases (bench.register.load), rebuilds each case's status
history from its timeline as the migration that added the history does
(cme.cases.history.steps_from_timeline), adds a home education register and the provision the
cases in provision started (cme.provision, which the pack's time to provision counts), loads
the term dates, then times the return for the autumn census, the pack for the school year to
date, and the first and last pages of the children not in school register.
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
# "Finish in seconds" (issue 14 item 6), read as: each report's p95 under ten seconds.
TARGET_SECONDS = 10.0
DATABASES = ("sqlite", "postgresql")


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


def run(
    quick: bool = False, cases: int | None = None, databases: tuple[str, ...] = DATABASES
) -> str:
    from bench.register import _pg_admin

    cases = cases or (QUICK_CASES if quick else FULL_CASES)
    repeats = 3 if cases <= QUICK_CASES else 10
    results: dict[str, dict[str, Any]] = {}
    if "sqlite" in databases:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        results["SQLite"] = _run_worker("SQLite", f"sqlite:///{SQLITE_PATH}", cases, repeats)
    if "postgresql" in databases:
        problem = _pg_admin("DROP DATABASE IF EXISTS cme_bench_reports WITH (FORCE)") or (
            _pg_admin("CREATE DATABASE cme_bench_reports")
        )
        if problem:
            results["PostgreSQL"] = {
                "error": f"PostgreSQL unreachable at 127.0.0.1:5432 ({problem})"
            }
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
        f"{PERIOD[1]:%-d %B %Y}; the children not in school register's first and last pages "
        f"as at {TODAY:%-d %B %Y}. Issue 14: reports on 100,000 cases finish in seconds, read "
        f"here as a p95 under {TARGET_SECONDS:g} s for each.",
        "",
        "| Report | Database | p50 (s) | p95 (s) | Figures |",
        "|---|---|---|---|---|",
    ]
    worst: list[tuple[float, str]] = []
    for database, result in results.items():
        if "error" in result:
            lines.append(f"| all | {database} | - | - | {result['error']} |")
            continue
        for name, timing in result["reports"].items():
            worst.append((timing["p95"], f"{name} on {database}"))
            lines.append(
                f"| {name} | {database} | {timing['p50']:.2f} | {timing['p95']:.2f} | "
                f"{timing['figures']} |"
            )
    lines.append("")
    if not worst:
        lines.append("No report was timed: see the errors above.")
    elif cases < FULL_CASES:
        lines.append(f"A smoke run at {cases:,} cases: it says nothing of the target.")
    else:
        p95, name = max(worst)
        met = p95 < TARGET_SECONDS
        lines.append(
            f"**Reports finishing in seconds: {'met' if met else 'NOT met'}.** The slowest p95 "
            f"is {p95:.2f} s ({name}), {'under' if met else 'over'} the {TARGET_SECONDS:g} s "
            "target."
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


def _provision(rng: random.Random) -> int:
    """A started placement for each case that moved into provision, started after it opened:
    tuition for one in five (outside a school, so on the not in school register while open),
    a school place for the rest."""
    from django.db.models import Q

    from cme.accounts.models import User
    from cme.cases.models import Case, CaseStatus, Outcome
    from cme.provision.models import Placement, PlacementState, ProviderKind
    from cme.schools.models import Establishment

    by = User.objects.order_by("pk").first()
    schools = list(Establishment.objects.values_list("pk", flat=True)[:200])
    rows = []
    for pk, status, opened_on, closed_on in Case.objects.filter(
        Q(status=CaseStatus.IN_PROVISION) | Q(outcome=Outcome.IN_PROVISION)
    ).values_list("pk", "status", "opened_on", "closed_on"):
        last = min(closed_on or TODAY, TODAY)
        start = min(opened_on + timedelta(days=rng.randint(3, 200)), last)
        tuition = rng.random() < 0.2 or not schools
        rows.append(
            Placement(
                case_id=pk,
                provider_kind=ProviderKind.TUITION if tuition else ProviderKind.SCHOOL,
                school_id=None if tuition else rng.choice(schools),
                provider_name="Bench tuition" if tuition else "Bench school",
                offered_on=max(opened_on, start - timedelta(days=rng.randint(0, 10))),
                start_on=start,
                watch_until=start + timedelta(days=14),
                state=PlacementState.WATCHING
                if status == CaseStatus.IN_PROVISION
                else (PlacementState.ATTENDING),
                recorded_by=by,
            )
        )
    Placement.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


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
    placements = _provision(random.Random(15))
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
        "figures": f"{len(pack.sections)} sections, {referrals} referrals, "
        f"{pack.section('provision').total()} starts in provision",
    }
    from cme.reports.not_in_school import register_page

    timing, (page, lines) = _time(lambda: register_page(today=TODAY, page_number=1), repeats)
    last_page = page.paginator.num_pages
    reports["Children not in school, page 1"] = {
        **timing,
        "figures": f"{page.paginator.count:,} children, {len(lines)} on the page",
    }
    timing, (page, lines) = _time(
        lambda: register_page(today=TODAY, page_number=last_page), repeats
    )
    reports[f"Children not in school, page {last_page}"] = {
        **timing,
        "figures": f"{len(lines)} on the last page",
    }
    return {"reports": reports, "status_changes": changes, "placements": placements}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_CASES:,} cases")
    parser.add_argument("--cases", type=int, help="how many cases (default 100,000)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--database", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(worker(args.cases, args.repeats)))
        return
    chosen = DATABASES if args.database == "both" else (args.database,)
    run(quick=args.quick, cases=args.cases, databases=chosen)


if __name__ == "__main__":
    main()
