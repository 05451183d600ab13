"""Loading DfE's Get Information about Schools CSV: all or nothing, idempotent, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cme.accounts.models import Role, User
from cme.audit.models import AuditEvent, Verb
from cme.core.errors import NotAllowed
from cme.schools.import_gias import parse
from cme.schools.models import Establishment
from cme.schools.services import ImportRejected, establishments_import

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "gias_small.csv"
MALFORMED = FIXTURES / "gias_malformed.csv"
CP1252 = FIXTURES / "gias_cp1252.csv"
HEADER = (
    "URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,"
    "TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),Postcode\n"
)


def imports() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.IMPORT, subject_type="establishments"))


@pytest.mark.django_db
def test_import_creates_establishments_with_laestab_and_ignores_other_columns() -> None:
    result = establishments_import(file=SMALL)

    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    school = Establishment.objects.get(urn=104502)
    assert school.establishment_number == "0012"  # GIAS may drop leading zeros
    assert school.laestab == "3410012"
    assert school.status == "Open, but proposed to close"
    assert school.phase == "Nursery"
    assert Establishment.objects.get(urn=104500).postcode == "L1 1AA"
    assert Establishment.objects.get(urn=104501).name == "Harbourside High School, The"
    [event] = imports()
    assert event.details["created"] == 3
    assert event.details["updated"] == 0
    assert event.details["file"] == "gias_small.csv"
    assert event.actor is None


@pytest.mark.django_db
def test_second_run_changes_nothing() -> None:
    establishments_import(file=SMALL)
    before = list(Establishment.objects.order_by("urn").values())

    result = establishments_import(file=SMALL)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Establishment.objects.order_by("urn").values()) == before
    assert [e.details["created"] + e.details["updated"] for e in imports()] == [0, 3]


@pytest.mark.django_db
def test_changed_row_is_updated_by_urn_and_keeps_its_paews_officer() -> None:
    establishments_import(file=SMALL)
    officer = User.objects.create(username="paews1", role=Role.PAEWS_OFFICER)
    Establishment.objects.filter(urn=104500).update(paews_officer=officer)
    text = SMALL.read_text().replace("Larkspur Primary School", "Larkspur Academy")

    result = establishments_import(file=text.encode())

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    school = Establishment.objects.get(urn=104500)
    assert school.name == "Larkspur Academy"
    assert school.paews_officer == officer
    assert Establishment.objects.count() == 3


@pytest.mark.django_db
def test_windows_1252_file_is_read() -> None:
    result = establishments_import(file=CP1252)

    assert result.encoding == "cp1252"
    assert Establishment.objects.get(urn=104700).name == "St Thérèse\u2019s Catholic Primary"


def test_utf8_byte_order_mark_is_not_part_of_the_first_heading() -> None:
    parsed = parse(b"\xef\xbb\xbf" + (HEADER + "1,341,L,1,A,,,,\n").encode())

    assert parsed.problems == []
    assert parsed.encoding == "utf-8-sig"
    assert parsed.rows[0].urn == 1


@pytest.mark.django_db
def test_malformed_file_is_rejected_whole_with_line_and_column_of_each_problem() -> None:
    establishments_import(file=SMALL)
    before = list(Establishment.objects.order_by("urn").values())

    with pytest.raises(ImportRejected) as rejected:
        establishments_import(file=MALFORMED)

    found = {(p.line, p.column, p.column_number) for p in rejected.value.problems}
    assert found == {
        (3, "URN", 1),
        (4, "LA (code)", 2),
        (5, "URN", 1),
        (6, "EstablishmentNumber", 4),
        (6, "EstablishmentName", 5),
        (7, "", None),
    }
    messages = [str(p) for p in rejected.value.problems]
    assert "line 3, column 1 (URN): The URN must be a whole number, not '10460X'." in messages
    assert "line 5, column 1 (URN): URN 104600 is already on line 2." in messages
    assert "line 7: This row has 5 fields; the header has 9." in messages
    # Nothing written: not even the good first row, and no import event.
    assert list(Establishment.objects.order_by("urn").values()) == before
    assert not Establishment.objects.filter(urn=104600).exists()
    assert len(imports()) == 1


def test_missing_required_column_is_named() -> None:
    parsed = parse(b"URN,LA (code),EstablishmentName\n1,341,A\n")

    assert [str(p) for p in parsed.problems] == [
        "line 1, column (EstablishmentNumber): The required column 'EstablishmentNumber' is "
        "missing: is this a GIAS establishment fields CSV?"
    ]
    assert parsed.rows == []


def test_empty_file_is_a_problem() -> None:
    assert [p.line for p in parse(b"").problems] == [1]


def test_quoted_field_over_several_lines_keeps_line_numbers_right() -> None:
    data = (HEADER + '1,341,L,1,"Two\nLines",,,,\n2,341,L,2,,,,,\n').encode()

    problems = parse(data).problems

    assert [(p.line, p.column) for p in problems] == [(4, "EstablishmentName")]


def test_too_long_value_is_reported() -> None:
    problems = parse((HEADER + f"1,341,L,1,A,,,,{'X' * 11}\n").encode()).problems

    assert [(p.line, p.column) for p in problems] == [(2, "Postcode")]


@pytest.mark.django_db
def test_missing_optional_column_leaves_its_field_alone() -> None:
    establishments_import(file=SMALL)
    data = (
        b"URN,LA (code),EstablishmentNumber,EstablishmentName\n"
        b"104500,341,2001,Larkspur Primary School\n"
    )

    result = establishments_import(file=data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert "Postcode" in result.missing_columns
    assert Establishment.objects.get(urn=104500).postcode == "L1 1AA"


@pytest.mark.django_db
def test_dry_run_writes_nothing() -> None:
    result = establishments_import(file=SMALL, dry_run=True)

    assert result.created == 3
    assert Establishment.objects.count() == 0
    assert imports() == []


@pytest.mark.django_db
def test_user_without_the_right_role_may_not_import() -> None:
    officer = User.objects.create(username="officer1", role=Role.CME_OFFICER)

    with pytest.raises(NotAllowed):
        establishments_import(file=SMALL, by=officer)
    assert Establishment.objects.count() == 0


@pytest.mark.django_db
def test_manager_import_is_audited_under_their_name() -> None:
    manager = User.objects.create(username="manager1", role=Role.CME_MANAGER)

    establishments_import(file=SMALL, by=manager)

    [event] = imports()
    assert event.actor == manager
    assert event.actor_label == "manager1"


@pytest.mark.django_db
def test_command_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_establishments", str(SMALL))
    call_command("import_establishments", str(SMALL))

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "3 establishments read (utf-8-sig). Created 3, updated 0, 0 unchanged.",
        "3 establishments read (utf-8-sig). Created 0, updated 0, 3 unchanged.",
    ]


@pytest.mark.django_db
def test_command_rejects_a_malformed_file_and_lists_the_problems(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(CommandError, match="rejected with 6 problem"):
        call_command("import_establishments", str(MALFORMED))

    err = capsys.readouterr().err
    assert "gias_malformed.csv: line 4, column 2 (LA (code)): The LA code must be 3 digits" in err
    assert Establishment.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_establishments", str(tmp_path / "nope.csv"))
