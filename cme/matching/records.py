"""The record shape the matcher reads, and a strict CSV reader for it."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from cme.matching.errors import MatchingInputError
from cme.matching.normalise import parse_date

COLUMNS = (
    "id",
    "forename",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "upn",
)

Record = Mapping[str, object]


# A record whose id is "<child's id>~<n>" is another record of that child (the register
# indexes each former name so), so it is never the child's rival (scorer.same_child).
CHILD_ID_SEPARATOR = "~"


def child_id(record_id: str) -> str:
    """The id of the child a record is of: its own id, or the part before "~"."""
    return record_id.split(CHILD_ID_SEPARATOR, 1)[0]


def field(record: Record, name: str) -> str:
    """A field as a stripped string; missing and None are empty."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def check_date(text: str, *, line: int | None = None, source: str | None = None) -> date | None:
    """Parse a date of birth, raising MatchingInputError with the line for an impossible one."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise MatchingInputError(
            f"date_of_birth {text!r} is not a real ISO 8601 date ({exc})", line=line, source=source
        ) from None


def iter_csv(path: str | Path) -> Iterator[dict[str, str]]:
    """Yield the rows of a matching CSV, checked.

    The header must name only known columns and include `id`; every row must have as many
    fields as the header, a non-empty unique id and a real date of birth (or none).
    """
    source = str(path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise MatchingInputError("the file is empty", line=1, source=source) from None
        except csv.Error as exc:
            raise MatchingInputError(f"malformed CSV ({exc})", line=1, source=source) from None
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            raise MatchingInputError(
                f"unknown column(s) {', '.join(unknown)}; expected some of {', '.join(COLUMNS)}",
                line=1,
                source=source,
            )
        if "id" not in header or len(set(header)) != len(header):
            raise MatchingInputError("header needs one 'id' column and no repeats", line=1)
        yield from _rows(reader, header, source)


def _rows(reader: Iterator[list[str]], header: list[str], source: str) -> Iterator[dict[str, str]]:
    seen: set[str] = set()
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise MatchingInputError(
                f"malformed CSV ({exc})", line=line + 1, source=source
            ) from None
        line += 1
        if not row:
            continue
        if len(row) != len(header):
            raise MatchingInputError(
                f"{len(row)} fields where the header has {len(header)}", line=line, source=source
            )
        record = {name: value.strip() for name, value in zip(header, row, strict=True)}
        if not record["id"]:
            raise MatchingInputError("empty id", line=line, source=source)
        if record["id"] in seen:
            raise MatchingInputError(f"id {record['id']!r} repeated", line=line, source=source)
        seen.add(record["id"])
        check_date(record.get("date_of_birth", ""), line=line, source=source)
        yield record


def read_csv(path: str | Path) -> list[dict[str, str]]:
    """All rows of a matching CSV; nothing is returned unless the whole file is good."""
    return list(iter_csv(path))
