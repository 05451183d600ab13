"""The load test's report: every page's row, and a verdict that counts errors and the worst
page, not the average."""

from __future__ import annotations

from bench.load import render

META = {"workers": 2, "threads": 4, "prepare_seconds": 10.0, "start_seconds": 3.0}
SIZE = {"cases": 2000, "audit": 5000, "users": 10, "seconds": 30}


def _row(name: str, count: int, failures: int, p50: float, p95: float) -> dict[str, str]:
    return {
        "Name": name,
        "Request Count": str(count),
        "Failure Count": str(failures),
        "Requests/s": "1.5",
        "50%": str(p50),
        "95%": str(p95),
    }


def test_the_target_is_met_only_with_every_page_fast_and_no_errors() -> None:
    fast = [
        _row("home", 10, 0, 40, 90),
        _row("case", 5, 0, 30, 200),
        _row("Aggregated", 15, 0, 35, 150),
    ]
    assert "| home | 10 | 0 | 1.5 | 40 | 90 |" in render(fast, SIZE, META)
    assert ": met (worst page p95 200 ms, 0 errors)" in render(fast, SIZE, META)
    slow = [*fast[:1], _row("checks, run", 3, 0, 200, 450), fast[2]]
    assert "NOT met (worst page p95 450 ms" in render(slow, SIZE, META)
    failing = [_row("home", 10, 2, 40, 90), _row("Aggregated", 10, 2, 40, 90)]
    assert "NOT met (worst page p95 90 ms, 2 errors)" in render(failing, SIZE, META)
