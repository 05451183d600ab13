"""Small numbers in figures the council circulates: suppressed, or rounded as DfE rounds.

Why: a count of 1 or 2 children in a small breakdown can identify a child, and an extract goes
to partners outside the CME team. Two methods, chosen per extract:

* **Suppression** (the ONS/GSS practice for tables of counts; the threshold is the council's
  choice, set per extract): a cell of 1 to ``threshold - 1`` children is suppressed (primary),
  and where a line of the table (a row or column with its total) would have only one cell
  hidden, so that the total would give it back by subtraction, another cell of that line is
  hidden too (secondary): the smallest non-zero one, else the line's total. Zeros are shown:
  they name no child. Repeated until no line has exactly one hidden cell. Suppressed cells are
  written ``c`` (GSS "confidential").
* **DfE's rounding** (returns-and-enquiries.md section 1.6, VERBATIM: "Local authority and
  regional data has been rounded to the nearest 10"; "low - denotes figures based on count
  that rounds to 0, but is not 0"): every cell and total to the nearest 10 (5 rounds up),
  ``low`` for 1 to 4, ``0`` for none. Totals are rounded from the true totals, so "figures may
  not sum to breakdowns due to rounding", as DfE says.

A table is a grid of counts with its row, column and grand totals (a one-way breakdown is a
table of one row). Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cme.rules.errors import InvalidArgument

CITATION = (
    "DfE data guidance, Elective home education and children missing education (rounding to "
    "the nearest 10, 'low'); GSS guidance on disclosure control of tables (suppression)"
)
SUPPRESSED = "c"
LOW = "low"


class Method(StrEnum):
    SUPPRESS = "suppress"
    ROUND = "round"


@dataclass(frozen=True)
class Table:
    """Counts by row and column; `totals` adds the margins."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows) or any(
            len(line) != len(self.columns) for line in self.counts
        ):
            raise InvalidArgument("A table needs one count for every row and column.")
        if any(
            not isinstance(n, int) or isinstance(n, bool) or n < 0 for r in self.counts for n in r
        ):
            raise InvalidArgument("Counts must be whole numbers, 0 or more.")

    @classmethod
    def one_way(cls, values: Sequence[str], counts: Sequence[int], *, name: str = "") -> Table:
        return cls((name,), tuple(values), (tuple(counts),))

    def grid(self) -> list[list[int]]:
        """The counts with a total column on the right and a total row beneath."""
        body = [[*line, sum(line)] for line in self.counts]
        totals = [sum(line[j] for line in body) for j in range(len(self.columns) + 1)]
        return [*body, totals]


@dataclass(frozen=True)
class Published:
    """A table as it may be circulated: each cell a number as text, ``c`` or ``low``; the last
    column and row are the totals."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    method: Method
    threshold: int | None

    def cell(self, row: str, column: str) -> str:
        i = len(self.rows) if row == "Total" else self.rows.index(row)
        j = len(self.columns) if column == "Total" else self.columns.index(column)
        return self.cells[i][j]


def dfe_round(count: int) -> str:
    """DfE's published form of a count: nearest 10 (5 up), ``low`` for 1 to 4.

    >>> [dfe_round(n) for n in (0, 1, 4, 5, 14, 15, 2345)]
    ['0', 'low', 'low', '10', '10', '20', '2350']
    """
    if not isinstance(count, int) or count < 0:
        raise InvalidArgument("A count must be a whole number, 0 or more.")
    if count == 0:
        return "0"
    rounded = (count + 5) // 10 * 10
    return LOW if rounded == 0 else str(rounded)


def _lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    """Each additive line of the grid: its cells, the total last (rows, then columns)."""
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    columns = [[(i, j) for i in range(height)] for j in range(width)]
    # A one-row table's total row repeats its only row: one line is enough.
    return rows if height == 2 else rows + columns


def suppressed_cells(table: Table, threshold: int) -> set[tuple[int, int]]:
    """The (row, column) positions in `table.grid()` to hide, primary and secondary."""
    if not isinstance(threshold, int) or threshold < 1:
        raise InvalidArgument("The suppression threshold must be a whole number, 1 or more.")
    grid = table.grid()
    height, width = len(grid), len(grid[0])
    one_row = height == 2
    hidden = {
        (i, j)
        for i in range(height)
        for j in range(width)
        if 0 < grid[i][j] < threshold and not (one_row and i == 1)
    }
    lines = _lines(height, width)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            shown = [c for c in line[:-1] if c not in hidden]
            nonzero = [c for c in shown if grid[c[0]][c[1]] > 0]
            pick = (
                min(nonzero, key=lambda c: (grid[c[0]][c[1]], c))
                if nonzero
                else (shown[0] if shown and line[-1] in hidden else line[-1])
            )
            hidden.add(pick)
            changed = True
    if one_row:
        # The total row of a one-row table is the row itself: hide the same cells there.
        hidden |= {(1, j) for i, j in set(hidden) if i == 0}
    return hidden


def publish(table: Table, *, method: Method | str, threshold: int = 5) -> Published:
    """`table` with its totals, ready to circulate by `method`."""
    method = Method(method)
    grid = table.grid()
    if method is Method.ROUND:
        cells = tuple(tuple(dfe_round(n) for n in line) for line in grid)
        return Published(table.rows, table.columns, cells, method, None)
    hidden = suppressed_cells(table, threshold)
    cells = tuple(
        tuple(SUPPRESSED if (i, j) in hidden else str(n) for j, n in enumerate(line))
        for i, line in enumerate(grid)
    )
    return Published(table.rows, table.columns, cells, method, threshold)
