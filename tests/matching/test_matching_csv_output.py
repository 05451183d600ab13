"""`cme match link` writes ids as given but never as formulas a spreadsheet would run."""

from __future__ import annotations

import csv

from cme.matching.cli import main
from cme.rules.csv_cells import SafeCsvWriter, csv_cell

HEADER = "id,forename,middle_names,surname,date_of_birth,sex,postcode,address,upn\n"
ROW = ",Maisie,,Fictional,2015-03-14,F,L1 1AA,1 Fictional Road,\n"


def test_formula_cells_are_written_as_text() -> None:
    for dangerous in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(dangerous) == "'" + dangerous
    assert csv_cell("Maisie") == "Maisie" and csv_cell(0.5) == 0.5 and csv_cell("") == ""


def test_every_cell_of_a_written_row_is_neutralised(tmp_path) -> None:
    path = tmp_path / "out.csv"
    with path.open("w", newline="") as handle:
        SafeCsvWriter(handle).writerows([["=cmd|' /C calc'!A0", "ok", 3]])
    assert next(csv.reader(path.open())) == ["'=cmd|' /C calc'!A0", "ok", "3"]


def test_match_link_output_holds_no_formula(tmp_path) -> None:
    left, right, out = tmp_path / "left.csv", tmp_path / "right.csv", tmp_path / "pairs.csv"
    left.write_text(HEADER + '"=HYPERLINK(""http://example.invalid"",""Open"")"' + ROW)
    right.write_text(HEADER + "@right" + ROW)
    assert main(["link", str(left), str(right), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(newline="")))
    assert rows, "the same child in both files should be a pair"
    assert rows[0]["left_id"] == '\'=HYPERLINK("http://example.invalid","Open")'
    assert rows[0]["right_id"] == "'@right"
