"""Small-number suppression and DfE rounding: edges, and an attacker who tries to get a
suppressed cell back from the totals (and does, from primary suppression alone)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cme.rules.errors import InvalidArgument
from cme.rules.suppression import (
    LOW,
    SUPPRESSED,
    Method,
    Published,
    Table,
    dfe_round,
    publish,
)


def _known(published: Published) -> list[list[int | None]]:
    return [[None if c == SUPPRESSED else int(c) for c in line] for line in published.cells]


def _lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    if height == 2:  # a one-way table: its total row repeats its row
        return rows
    return rows + [[(i, j) for i in range(height)] for j in range(width)]


Cell = tuple[int, int]


def _start(grid: list[list[int | None]]) -> dict[Cell, tuple[int, int]]:
    height, width = len(grid), len(grid[0])
    big = sum(v for line in grid for v in line if v is not None) or 1
    bounds = {(i, j): (0, big) for i in range(height) for j in range(width) if grid[i][j] is None}
    if height == 2:  # a one-way table: the total row is the row, so one gives the other
        for j in range(width):
            for a, b in ((0, 1), (1, 0)):
                shown = grid[a][j]
                if shown is not None and grid[b][j] is None:
                    bounds[(b, j)] = (shown, shown)
    return bounds


def _tighten(
    line: list[Cell], grid: list[list[int | None]], bounds: dict[Cell, tuple[int, int]]
) -> bool:
    """Narrow each hidden cell of one line from the rest of it; whether anything moved."""

    def lo(c: Cell) -> int:
        v = grid[c[0]][c[1]]
        return v if v is not None else bounds[c][0]

    def hi(c: Cell) -> int:
        v = grid[c[0]][c[1]]
        return v if v is not None else bounds[c][1]

    *parts, total = line
    moved = False
    for c in (c for c in line if c in bounds):
        if c == total:
            new = (sum(lo(p) for p in parts), sum(hi(p) for p in parts))
        else:
            others = [p for p in parts if p != c]
            new = (
                lo(total) - sum(hi(p) for p in others),
                hi(total) - sum(lo(p) for p in others),
            )
        merged = (max(bounds[c][0], new[0]), min(bounds[c][1], new[1]))
        if merged != bounds[c]:
            bounds[c] = merged
            moved = True
    return moved


def attack(published: Published) -> dict[Cell, tuple[int, int]]:
    """What an attacker can say of each hidden cell from the published ones: bounds from every
    line (cells add up to the line's total, nothing below 0), tightened until they settle.
    Returns (low, high) for each hidden cell; low == high means it was recovered."""
    grid = _known(published)
    bounds = _start(grid)
    lines = _lines(len(grid), len(grid[0]))
    while any([_tighten(line, grid, bounds) for line in lines]):
        pass
    return bounds


def brute_force(published: Published, bound: int) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell can take, over every filling of the hidden inner cells
    from 0 to `bound` whose totals agree with those published: exact, for small tables."""
    grid = _known(published)
    height, width = len(grid) - 1, len(grid[0]) - 1
    inner = [(i, j) for i in range(height) for j in range(width) if grid[i][j] is None]
    seen: dict[tuple[int, int], set[int]] = {
        (i, j): set()
        for i in range(height + 1)
        for j in range(width + 1)
        if grid[i][j] is None and not (height == 1 and i == 1)
    }
    for values in itertools.product(range(bound + 1), repeat=len(inner)):
        full = [[v or 0 for v in line[:-1]] for line in grid[:-1]]
        for (i, j), v in zip(inner, values, strict=True):
            full[i][j] = v
        for line in full:
            line.append(sum(line))
        full.append([sum(full[i][j] for i in range(height)) for j in range(width + 1)])
        if any(
            grid[i][j] is not None and grid[i][j] != full[i][j]
            for i in range(height + 1)
            for j in range(width + 1)
        ):
            continue
        for i, j in seen:
            seen[(i, j)].add(full[i][j])
    return seen


def primary_only(table: Table, threshold: int) -> Published:
    """What a careless extract does: hide the small cells and print the totals."""
    grid = table.grid()
    cells = tuple(tuple(SUPPRESSED if 0 < n < threshold else str(n) for n in line) for line in grid)
    return Published(table.rows, table.columns, cells, Method.SUPPRESS, threshold)


SEX = Table.one_way(["Female", "Male", "Unknown"], [3, 40, 0])
AREA = Table(
    rows=("North", "South", "Central"),
    columns=("Primary", "Secondary"),
    counts=((2, 30), (12, 15), (20, 9)),
)


def test_the_attacker_recovers_a_cell_when_only_the_small_ones_are_hidden() -> None:
    # The attack is real: Female = Total - Male - Unknown.
    assert attack(primary_only(SEX, 5))[(0, 0)] == (3, 3)
    assert attack(primary_only(AREA, 5))[(0, 0)] == (2, 2)


@pytest.mark.parametrize("table", [SEX, AREA])
def test_the_attacker_cannot_recover_a_suppressed_cell_from_the_totals(table: Table) -> None:
    published = publish(table, method="suppress", threshold=5)
    bounds = attack(published)
    assert bounds, "something was suppressed"
    for cell, (low, high) in bounds.items():
        assert low < high, cell


def test_secondary_suppression_hides_the_smallest_other_cell_and_shows_zeros() -> None:
    published = publish(SEX, method="suppress", threshold=5)
    assert published.cell("", "Female") == SUPPRESSED
    assert published.cell("", "Male") == SUPPRESSED
    assert published.cell("", "Unknown") == "0"
    assert published.cell("", "Total") == "43"
    area = publish(AREA, method="suppress", threshold=5)
    assert area.cell("North", "Primary") == SUPPRESSED
    # North's row and the Primary column each need a second hidden cell.
    assert area.cell("North", "Secondary") == SUPPRESSED
    assert area.cell("Central", "Primary") == SUPPRESSED or area.cell("South", "Primary") == (
        SUPPRESSED
    )
    assert area.cell("Total", "Total") == "88"


def test_a_small_total_with_nothing_else_to_hide_hides_the_total() -> None:
    published = publish(Table.one_way(["Female", "Male"], [3, 0]), method="suppress", threshold=5)
    assert published.cells[0] == (SUPPRESSED, "0", SUPPRESSED)
    bounds = attack(published)
    assert all(low < high for low, high in bounds.values())


def test_nothing_small_nothing_hidden_and_threshold_edges() -> None:
    table = Table.one_way(["Female", "Male"], [5, 6])
    assert publish(table, method="suppress", threshold=5).cells[0] == ("5", "6", "11")
    assert publish(table, method="suppress", threshold=6).cells[0] == (
        SUPPRESSED,
        SUPPRESSED,
        "11",
    )
    with pytest.raises(InvalidArgument):
        publish(table, method="suppress", threshold=0)
    with pytest.raises(ValueError):
        publish(table, method="shuffle")


def test_dfe_rounding_edges() -> None:
    assert [dfe_round(n) for n in (0, 1, 4, 5, 9, 14, 15, 95, 104)] == [
        "0", LOW, LOW, "10", "10", "10", "20", "100", "100",
    ]  # fmt: skip
    with pytest.raises(InvalidArgument):
        dfe_round(-1)
    rounded = publish(SEX, method="round")
    assert rounded.cells[0] == (LOW, "40", "0", "40")
    assert rounded.threshold is None


def test_a_table_refuses_ragged_or_negative_counts() -> None:
    with pytest.raises(InvalidArgument):
        Table(("a",), ("x", "y"), ((1,),))
    with pytest.raises(InvalidArgument):
        Table.one_way(["x"], [-1])


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda h: st.integers(1, 4).flatmap(
            lambda w: st.lists(
                st.lists(st.integers(0, 12), min_size=w, max_size=w), min_size=h, max_size=h
            )
        )
    ),
    st.integers(2, 6),
)
def test_no_suppressed_cell_can_be_pinned_down_for_any_table(
    counts: list[list[int]], threshold: int
) -> None:
    table = Table(
        tuple(f"r{i}" for i in range(len(counts))),
        tuple(f"c{j}" for j in range(len(counts[0]))),
        tuple(tuple(r) for r in counts),
    )
    published = publish(table, method="suppress", threshold=threshold)
    grid = table.grid()
    for i, line in enumerate(published.cells):
        for j, text in enumerate(line):
            if text != SUPPRESSED:
                # Every shown count is true, and none is small.
                assert int(text) == grid[i][j]
                assert not 0 < grid[i][j] < threshold
    for cell, (low, high) in attack(published).items():
        assert low < high, (cell, published.cells)


@pytest.mark.parametrize(
    "counts",
    [((1, 7), (6, 0)), ((2, 3), (9, 9)), ((0, 1), (0, 8)), ((4, 0, 6),)],
)
def test_exhaustively_every_suppressed_cell_has_more_than_one_possible_value(
    counts: tuple[tuple[int, ...], ...],
) -> None:
    table = Table(
        tuple(f"r{i}" for i in range(len(counts))),
        tuple(f"c{j}" for j in range(len(counts[0]))),
        counts,
    )
    published = publish(table, method="suppress", threshold=5)
    # A narrower range than the truth allows only makes the attacker surer.
    possible = brute_force(published, bound=max(map(max, counts)) + 3)
    assert possible
    for cell, values in possible.items():
        assert len(values) > 1, (cell, values)
