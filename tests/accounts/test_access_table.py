"""docs/access.md carries the access table exactly as the code decides it."""

from __future__ import annotations

from pathlib import Path

from cme.accounts.models import Role
from cme.accounts.record_access import (
    Part,
    Reader,
    Relation,
    Report,
    access_table,
    may_read_report,
    readers,
    record_access,
    reports_table,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def documented_table() -> str:
    text = DOC.read_text()
    start = text.index("<!-- access-table:start -->\n") + len("<!-- access-table:start -->\n")
    return text[start : text.index("<!-- access-table:end -->")].strip()


def test_the_docs_table_is_the_codes_decision() -> None:
    assert documented_table() == access_table().strip(), (
        "docs/access.md differs from cme.accounts.record_access: paste access_table() in"
    )


def test_the_readme_links_the_table() -> None:
    readme = (DOC.parents[1] / "README.md").read_text()
    assert "docs/access.md" in readme


def test_the_decision_on_the_points_that_matter_most() -> None:
    # Written out by hand, so a change to the table that the docs follow still fails here.
    school = record_access(Role.SCHOOL_STAFF, frozenset({Relation.SCHOOL}))
    assert school.read == {Part.STATUS, Part.IDENTITY, Part.NOTES}
    assert school.write == frozenset()
    for role in (Role.PARTNER_AGENCY, Role.OTHER_LA):
        referrer = record_access(role, frozenset({Relation.REFERRER}))
        assert referrer.read == {Part.STATUS}
    key_worker = record_access(Role.KEY_WORKER, frozenset({Relation.KEY_WORKER}))
    assert Part.SAFEGUARDING not in key_worker.read
    assert Part.CHECKS not in key_worker.read
    social_care = record_access(
        Role.KEY_WORKER, frozenset({Relation.KEY_WORKER, Relation.SAFEGUARDING_KEY_WORKER})
    )
    assert Part.SAFEGUARDING in social_care.read
    assert Part.AUDIT in record_access(Role.CME_MANAGER, frozenset()).read
    assert Part.AUDIT not in record_access(Role.CME_OFFICER, frozenset()).read
    assert record_access(Role.SYSTEM_ADMIN, frozenset(Relation)).read == frozenset()


def test_another_council_is_only_ever_a_referrer() -> None:
    # Even named as key worker (refused by the service, but say data came in that way).
    every = frozenset(Relation)
    assert readers(Role.OTHER_LA, every) == {Reader.OTHER_COUNCIL}
    assert record_access(Role.OTHER_LA, every).read == {Part.STATUS}
    assert readers(Role.OTHER_LA, frozenset()) == frozenset()


def test_a_relation_the_role_cannot_hold_gives_nothing() -> None:
    assert readers(Role.SCHOOL_STAFF, frozenset({Relation.PAEWS_OFFICER})) == frozenset()
    assert readers(Role.KEY_WORKER, frozenset({Relation.SCHOOL})) == frozenset()
    assert record_access(Role.PARTNER_AGENCY, frozenset()).read == frozenset()


def _between(name: str) -> str:
    text = DOC.read_text()
    start = text.index(f"<!-- {name}:start -->\n") + len(f"<!-- {name}:start -->\n")
    return text[start : text.index(f"<!-- {name}:end -->")].strip()


def test_the_docs_reports_table_is_the_codes_decision() -> None:
    assert _between("reports-table") == reports_table().strip(), (
        "docs/access.md differs from cme.accounts.record_access: paste reports_table() in"
    )


def test_who_reads_the_reports_written_out_by_hand() -> None:
    expected = {
        Report.MONITORING: {Role.CME_OFFICER, Role.CME_MANAGER},
        Report.EXTRACTS: {Role.CME_MANAGER},
        Report.NOT_IN_SCHOOL: {Role.CME_MANAGER},
    }
    for report, roles in expected.items():
        for role in Role:
            assert may_read_report(role, report) == (role in roles), (report, role)
