"""`cme report dfe-return`: the file, the census date refused in plain words, the audit."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from factories import UserFactory
from reports.conftest import CENSUS, TODAY, Authority

from cme.accounts.models import Role
from cme.audit.models import AuditEvent, Verb
from cme.checks.models import HomeEducatedChild
from cme.rules import dfe_categories
from cme.rules.dfe_return import DURATIONS, SEXES, YEAR_GROUPS

pytestmark = pytest.mark.django_db

ALLOWED = {
    "Total": {"Total"},
    "Sex": set(SEXES),
    "Year group": set(YEAR_GROUPS),
    "Duration": set(DURATIONS),
    "Reason": set(dfe_categories.CME_REASONS) | set(dfe_categories.EHE_REASONS),
}


def _run(tmp_path: Path, day: str, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / "return.csv"
    with time_machine.travel(TODAY, tick=False):
        call_command("report", "dfe-return", "--census-date", day, "--out", str(out), *extra)
    with out.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_file_has_one_row_per_figure_in_dfes_words(
    tmp_path: Path, authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    rows = _run(tmp_path, CENSUS.isoformat())
    assert list(rows[0]) == ["collection", "breakdown_topic", "breakdown", "child_count"]
    assert {r["collection"] for r in rows} == {"CME", "EHE"}
    for row in rows:
        if row["breakdown_topic"] in ALLOWED:
            assert row["breakdown"] in ALLOWED[row["breakdown_topic"]], row
        else:  # the measures over the previous school year
            assert row["breakdown"] == "Total", row
    counts = {
        (r["collection"], r["breakdown_topic"], r["breakdown"]): int(r["child_count"]) for r in rows
    }
    assert counts[("CME", "Total", "Total")] == 4
    assert counts[("EHE", "Total", "Total")] == 1
    for topic in ("Sex", "Year group", "Duration", "Reason"):
        assert sum(v for (c, t, _), v in counts.items() if c == "CME" and t == topic) == 4
    # No child's id, name or date of birth is in the file: DfE's words and counts only.
    text = (tmp_path / "return.csv").read_text()
    assert str(authority.a.child.surname) not in text


def test_the_run_is_audited_with_who_and_which_date(tmp_path: Path, authority: Authority) -> None:
    manager = UserFactory.create(username="boss", role=Role.CME_MANAGER)
    _run(tmp_path, CENSUS.isoformat(), "--by", "boss")
    event = AuditEvent.objects.get(verb=Verb.REPORT_RUN)
    assert event.actor == manager
    assert event.details == {"report": "dfe-return", "census_date": "2025-10-02"}
    assert event.source == "cli"


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2025-11-06",
            "The census date must be today or earlier: 6 November 2025 is in the future.",
        ),
        ("2024-06-13", "The register's first record is from 10 September 2024"),
        ("2025-08-14", "14 August 2025 is not in any term in the council's term dates"),
        ("2025-02-30", "--census-date must be a real date written YYYY-MM-DD"),
        ("2 Oct 2025", "--census-date must be a real date written YYYY-MM-DD"),
    ],
)
def test_a_date_that_is_no_census_is_refused_in_plain_words(
    tmp_path: Path, authority: Authority, day: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        _run(tmp_path, day)
    assert not (tmp_path / "return.csv").exists()
    assert not AuditEvent.objects.filter(verb=Verb.REPORT_RUN).exists()


def test_an_empty_register_says_so(tmp_path: Path, term_dates: None) -> None:
    with pytest.raises(CommandError, match="holds no cases or home education records yet"):
        _run(tmp_path, CENSUS.isoformat())


def test_an_unknown_account_is_refused(tmp_path: Path, authority: Authority) -> None:
    with pytest.raises(CommandError, match="There is no active account 'nobody'"):
        _run(tmp_path, CENSUS.isoformat(), "--by", "nobody")


def test_the_earlier_census_differs(tmp_path: Path, authority: Authority) -> None:
    rows = _run(tmp_path, date(2025, 1, 9).isoformat())
    total = next(r for r in rows if r["collection"] == "CME" and r["breakdown_topic"] == "Total")
    assert total["child_count"] == "2"
