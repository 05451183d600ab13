"""Load test: the app served by gunicorn (cme/gunicorn_conf.py) on PostgreSQL with the bench
data, and locust's users (bench/locustfile.py) signed in and browsing from a second process on
the same machine. Writes p50, p95, errors and throughput per page to docs/benchmarks.md.

    python -m bench.load                      # 100,000 cases, 50 users, 5 minutes
    CME_LOAD_CASES=2000 CME_LOAD_USERS=10 CME_LOAD_SECONDS=30 python -m bench.load

Needs PostgreSQL at 127.0.0.1:5432 (user postgres); the database cme_load is made afresh and
dropped afterwards (CME_BENCH_KEEP=1 keeps it). The target (issue 16): p95 <= 300 ms on every
page and no errors.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/cme_load"
PASSWORD = "bench-load-password-1"  # noqa: S105 (fictional accounts, a throwaway database)
TARGET_MS = 300.0


def _size(quick: bool) -> dict[str, int]:
    full = {"cases": 100_000, "audit": 1_000_000, "users": 50, "seconds": 300}
    small = {"cases": 10_000, "audit": 100_000, "users": 10, "seconds": 60}
    size = small if quick else full
    for key in size:
        if os.environ.get(f"CME_LOAD_{key.upper()}"):
            size[key] = int(os.environ[f"CME_LOAD_{key.upper()}"])
    return size


def _env(secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DJANGO_SECRET_KEY": secret,
        "PYTHONPATH": str(ROOT),
    }


# ----------------------------------------------------------------------------- the data


def prepare_data(size: dict[str, int]) -> dict[str, Any]:
    """In a subprocess with the load settings: migrate, load, and make the load's accounts
    (distinct ones for every simulated user, so no sign-in throttle counts two as one)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from bench.register import load, prepare
    from cme.accounts.models import Organisation, OrganisationKind, Role, User
    from cme.cases.models import OPEN_STATUSES, Case
    from cme.schools.models import Establishment

    call_command("migrate", verbosity=0)
    ids = prepare(load({"cases": size["cases"], "audit": size["audit"]}))
    password = make_password(PASSWORD)
    User.objects.update(password=password)
    team = Organisation.objects.get(name="CME team")
    for n in range(2):
        User.objects.create(
            username=f"manager{n}", role=Role.CME_MANAGER, organisation=team, password=password
        )
    workers: dict[str, list[int]] = {}
    for case_id, username in Case.objects.filter(
        status__in=OPEN_STATUSES, key_worker__isnull=False
    ).values_list("pk", "key_worker__username"):
        workers.setdefault(username, []).append(case_id)
    schools = []
    busy = (
        Case.objects.filter(status__in=OPEN_STATUSES, school__isnull=False)
        .values_list("school_id", flat=True)
        .distinct()[:12]
    )
    for school in Establishment.objects.filter(pk__in=list(busy)):
        org, _ = Organisation.objects.get_or_create(
            establishment=school,
            defaults={"name": f"{school.name} staff", "kind": OrganisationKind.SCHOOL},
        )
        user = User.objects.create(
            username=f"school{school.pk}",
            role=Role.SCHOOL_STAFF,
            organisation=org,
            password=password,
        )
        schools.append({"username": user.username})
    officers = [f"officer{n}" for n in range(10)] + ["officer"]
    return {
        "password": PASSWORD,
        "accounts": {
            "officer": [{"username": u} for u in officers],
            "manager": [{"username": f"manager{n}"} for n in range(2)],
            "key_worker": [{"username": u, "cases": c} for u, c in sorted(workers.items())[:20]],
            "school": schools,
        },
        "cases": ids["cases"][:5000],
        "children": ids["children"],
        "schools": ids["schools"],
        "risks": ids["risks"],
        "key_workers": ids["key_workers"],
        "prefixes": ids["prefixes"],
        "deep_page": max(1, len(ids["cases"]) // 50 // 2),
    }


# ----------------------------------------------------------------------------- the run


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=5
    ) as conn:
        conn.execute(sql)


def _wait_for(url: str, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def _stats(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def render(rows: list[dict[str, str]], size: dict[str, int], meta: dict[str, Any]) -> str:
    lines = [
        "## Load test (gunicorn on PostgreSQL, locust users)",
        "",
        f"{size['cases']:,} cases and {size['audit']:,} audit events (the register bench's "
        f"data), served by gunicorn with `cme/gunicorn_conf.py` ({meta['workers']} workers by "
        f"{meta['threads']} threads) on PostgreSQL; {size['users']} locust users on the same "
        "machine (officers, managers, key workers and school staff in the proportions "
        "30:3:10:5, each signed in with an account of their own, and a few members of the "
        "public opening the public form), each waiting 2 to 5 s between requests, for "
        f"{size['seconds']} s. A user signs out and in again about once in twenty requests. "
        "Times in milliseconds.",
        "",
        "| page | requests | errors | requests/s | p50 | p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    worst, errors = 0.0, 0
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        p95 = float(row["95%"] or 0)
        errors += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        if row["Name"] != "Aggregated":
            worst = max(worst, p95)
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {float(row['50%'] or 0):.0f} | {p95:.0f} |"
        )
    verdict = "met" if worst <= TARGET_MS and errors == 0 else "NOT met"
    lines += [
        "",
        f"- Target p95 <= {TARGET_MS:.0f} ms on every page and no errors: {verdict} "
        f"(worst page p95 {worst:.0f} ms, {errors} errors).",
        f"- Data loaded and accounts made in {meta['prepare_seconds']:.0f} s; gunicorn "
        f"answered after {meta['start_seconds']:.0f} s (the master builds the register's "
        "match index before forking its workers).",
    ]
    return "\n".join(lines)


def run(quick: bool = False) -> str:
    size = _size(quick)
    OUT.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(40)
    _pg("DROP DATABASE IF EXISTS cme_load WITH (FORCE)")
    _pg("CREATE DATABASE cme_load")
    plan_path = OUT / "load-plan.json"
    server = None
    try:
        started = time.monotonic()
        print(f"load test: loading {size['cases']:,} cases ...", flush=True)
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.load", "--prepare", json.dumps(size), str(plan_path)],
            cwd=ROOT,
            env=_env(secret),
            check=True,
        )
        prepare_seconds = time.monotonic() - started
        port = os.environ.get("CME_LOAD_PORT", "8091")
        env = {**_env(secret), "CME_WEB_BIND": f"127.0.0.1:{port}"}
        log = (OUT / "gunicorn.log").open("w")
        started = time.monotonic()
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "python:cme.gunicorn_conf", "cme.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        _wait_for(f"http://127.0.0.1:{port}/healthz", 600)
        start_seconds = time.monotonic() - started
        print(f"load test: {size['users']} users for {size['seconds']} s ...", flush=True)
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(size["users"]),
                "--spawn-rate",
                str(max(1, size["users"] // 10)),
                "--run-time",
                f"{size['seconds']}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(OUT / "load"),
                "--only-summary",
            ],
            cwd=ROOT,
            env={**os.environ, "CME_LOAD_PLAN": str(plan_path)},
            check=False,  # locust exits 1 when a request failed; the table says which
        )
        from cme.gunicorn_conf import default_threads, default_workers

        meta = {
            "workers": os.environ.get("CME_WEB_WORKERS") or default_workers(os.cpu_count()),
            "threads": os.environ.get("CME_WEB_THREADS") or default_threads(os.cpu_count()),
            "prepare_seconds": prepare_seconds,
            "start_seconds": start_seconds,
        }
        markdown = render(_stats(OUT / "load_stats.csv"), size, meta)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        if not os.environ.get("CME_BENCH_KEEP"):
            _pg("DROP DATABASE IF EXISTS cme_load WITH (FORCE)")
    from bench.report import write_section

    write_section("load", markdown)
    print(markdown)
    return markdown


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        plan = prepare_data(json.loads(sys.argv[2]))
        Path(sys.argv[3]).write_text(json.dumps(plan))
        return
    run(quick="--quick" in sys.argv)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
