import csv

import pytest

from bench.synthetic import linkage_task
from cme.matching import MatchIndex, MatchingInputError, read_csv
from cme.matching.cli import main

HEADER = "id,forename,middle_names,surname,date_of_birth,sex,postcode,address,upn\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_impossible_date_names_the_line(tmp_path):
    path = write(
        tmp_path, "a.csv", HEADER + "1,Amy,,Lee,2015-01-01,F,,,\n2,Bo,,Lee,2015-02-30,M,,,\n"
    )
    with pytest.raises(MatchingInputError) as err:
        read_csv(path)
    assert err.value.line == 3 and "2015-02-30" in str(err.value)


def test_unknown_column(tmp_path):
    path = write(tmp_path, "a.csv", "id,forename,shoe_size\n1,Amy,4\n")
    with pytest.raises(MatchingInputError, match=r"unknown column.*shoe_size"):
        read_csv(path)


def test_malformed_rows(tmp_path):
    path = write(tmp_path, "a.csv", HEADER + "1,Amy,,Lee\n")
    with pytest.raises(MatchingInputError, match="line 2"):
        read_csv(path)
    path = write(tmp_path, "b.csv", 'id,forename\n1,"Amy\n')
    with pytest.raises(MatchingInputError, match="malformed CSV"):
        read_csv(path)
    path = write(tmp_path, "c.csv", "id,forename\n1,Amy\n1,Bo\n")
    with pytest.raises(MatchingInputError, match="repeated"):
        read_csv(path)


def test_missing_fields_are_normal(tmp_path):
    path = write(tmp_path, "a.csv", "id,surname\n1,Lee\n2,\n")
    index = MatchIndex.from_csv(path)
    assert len(index) == 2


def _task_files(tmp_path):
    task = linkage_task(300, 60, seed=4)
    paths = []
    for name, rows in (("left.csv", task.left), ("right.csv", task.right)):
        path = tmp_path / name
        with open(path, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=HEADER.strip().split(","))
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return task, paths


def test_cli_link_and_dedupe(tmp_path, capsys):
    task, (left, right) = _task_files(tmp_path)
    out = tmp_path / "pairs.csv"
    assert main(["link", str(left), str(right), "--out", str(out)]) == 0
    with open(out, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"left_id", "right_id", "probability", "band"}
    found = {(r["left_id"], r["right_id"]) for r in rows if r["band"] == "likely"}
    assert len(found & task.truth) >= 0.8 * len(task.truth)
    assert all(r["left_id"].startswith("L") for r in rows)
    assert main(["dedupe", str(right), "--out", str(tmp_path / "d.csv")]) == 0


def test_cli_bad_input_changes_nothing(tmp_path, capsys):
    bad = write(tmp_path, "bad.csv", HEADER + "1,Amy,,Lee,2015-13-01,F,,,\n")
    out = tmp_path / "pairs.csv"
    out.write_text("untouched")
    assert main(["dedupe", str(bad), "--out", str(out)]) == 2
    assert "line 2" in capsys.readouterr().err
    assert out.read_text() == "untouched"


def test_cli_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "link" in capsys.readouterr().out
