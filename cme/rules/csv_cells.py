"""Every CSV the register writes goes through here, so a spreadsheet never runs a cell.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK("http://…","Click")`` in an
id column, say). Such a cell is written with a leading apostrophe, which spreadsheets show as
text and do not evaluate. Source: OWASP, "CSV Injection"
(https://owasp.org/www-community/attacks/CSV_Injection).

Plain Python, no framework, so the matching engine can use it too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Writes(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_cell(value: object) -> object:
    """The value, with a leading apostrophe if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer`, with every cell passed through `csv_cell` first."""

    def __init__(self, handle: _Writes, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
