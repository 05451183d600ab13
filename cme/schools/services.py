"""Writes to establishments: loading DfE's Get Information about Schools extract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cme.accounts.models import Role
from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed, StaleEdit
from cme.core.files import FileTooLarge, read_capped

from .import_gias import ParsedFile, Problem, parse
from .models import Establishment


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    updated: int
    unchanged: int
    encoding: str
    # Optional GIAS columns the file lacked; the fields they fill were left as they were.
    missing_columns: tuple[str, ...] = ()
    dry_run: bool = False

    def summary(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        return (
            f"{self.rows} establishments read ({self.encoding}). {verb} {self.created}, "
            f"{'would update' if self.dry_run else 'updated'} {self.updated}, "
            f"{self.unchanged} unchanged."
        )


class ImportRejected(ValidationError):
    """The file was refused whole; nothing was written. `problems` says where to look."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([str(p) for p in problems], code="import_rejected")
        self.problems = problems


def _read(file: str | Path | IO[bytes] | bytes) -> tuple[bytes, str]:
    """The bytes and name; refused, having read nothing, over the cap
    (``CME_ESTABLISHMENTS_IMPORT_MAX_MB``)."""
    name = "" if isinstance(file, bytes) else Path(str(getattr(file, "name", file))).name
    try:
        return read_capped(file, setting="CME_ESTABLISHMENTS_IMPORT_MAX_MB"), name
    except FileTooLarge as exc:
        message = str(exc)
        raise ImportRejected([Problem(1, "", f"{message[0].upper()}{message[1:]}.")]) from None


def _changed_fields(current: Establishment, values: dict[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(current, name) != value]


def _check_fields(parsed: ParsedFile) -> list[Problem]:
    """The model's own field checks, on every row, before anything is written."""
    problems: list[Problem] = []
    for row in parsed.rows:
        candidate = Establishment(**row.values)
        try:
            candidate.clean_fields(exclude=["paews_officer"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.extend(Problem(row.line, name, m) for m in messages)
    return problems


def establishments_import(
    *, file: str | Path | IO[bytes] | bytes, by: Any = None, dry_run: bool = False
) -> ImportResult:
    """Upsert establishments by URN from a GIAS CSV: all of it, or none of it.

    The whole file is checked before anything is written; any problem raises ImportRejected
    listing each with its line and column, and the database is left as it was. A second run
    of the same file changes nothing. Establishments missing from the file are left alone
    (an extract is often filtered to one LA), and so is the PAEWS officer named on a school.
    `by` is None when an operator runs the command line; otherwise they must be allowed to
    import reference data.
    """
    if by is not None and not can(by, Action.IMPORT_REFERENCE_DATA):
        raise NotAllowed
    data, filename = _read(file)
    parsed = parse(data)
    if parsed.problems:
        raise ImportRejected(parsed.problems)
    problems = _check_fields(parsed)
    if problems:
        raise ImportRejected(problems)
    return _write(parsed, by=by, filename=filename, dry_run=dry_run)


@transaction.atomic
def _write(parsed: ParsedFile, *, by: Any, filename: str, dry_run: bool) -> ImportResult:
    urns = [row.urn for row in parsed.rows]
    existing = Establishment.objects.select_for_update().in_bulk(urns, field_name="urn")
    created: list[Establishment] = []
    updated: list[Establishment] = []
    fields: set[str] = set()
    for row in parsed.rows:
        current = existing.get(row.urn)
        if current is None:
            created.append(Establishment(**row.values))
            continue
        changed = _changed_fields(current, row.values)
        if changed:
            for name in changed:
                setattr(current, name, row.values[name])
            fields.update(changed)
            updated.append(current)
    result = ImportResult(
        rows=len(parsed.rows),
        created=len(created),
        updated=len(updated),
        unchanged=len(parsed.rows) - len(created) - len(updated),
        encoding=parsed.encoding,
        missing_columns=tuple(parsed.missing_optional),
        dry_run=dry_run,
    )
    if dry_run:
        return result
    Establishment.objects.bulk_create(created, batch_size=1000)
    if updated:
        Establishment.objects.bulk_update(updated, sorted(fields), batch_size=1000)
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type="establishments",
        details={
            "file": filename,
            "encoding": parsed.encoding,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return result


@transaction.atomic
def establishment_set_paews_officer(
    *, establishment: Establishment, officer: Any | None, expected_officer_id: int | None, by: Any
) -> Establishment:
    """Name the PAEWS officer for a school (who signs off its CME1 checklists and whom it
    contacts about a pupil on roll but not attending), or name none. Refused if someone
    changed it since the form was opened (`expected_officer_id` is what the form showed)."""
    if not can(by, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed
    school = Establishment.objects.select_for_update().get(pk=establishment.pk)
    if school.paews_officer_id != expected_officer_id:
        current = school.paews_officer
        now = (current.get_full_name() or current.get_username()) if current else "no one"
        raise StaleEdit(
            {
                "officer": f"Someone else changed this school's PAEWS officer while you were "
                f"on this page: it is now {now}. Check and choose again."
            }
        )
    if officer is not None and (officer.role != Role.PAEWS_OFFICER or not officer.is_active):
        raise ValidationError(
            {"officer": "Choose a PAEWS officer who has an account on the register"}
        )
    before = school.paews_officer_id
    new = officer.pk if officer is not None else None
    if before == new:
        return school
    school.paews_officer = officer
    school.full_clean()
    school.save(update_fields=["paews_officer"])
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=school,
        details={"paews_officer": {"before": before, "after": new}},
    )
    return school
