"""bin/remove-unused-ignores takes out only the ignores mypy names, on the lines it names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "remove-unused-ignores"

SOURCE = """\
def f(world) -> None:  # type: ignore[no-untyped-def]
    x = g()  # type: ignore[assignment, list-item]
    y = h()  # type: ignore[attr-defined]
    STATIC = None  # type: ignore[assignment] # served from the finders
    s = "# type: ignore"  # type: ignore[arg-type]
    z = k()  # type: ignore
"""


def _run(tmp_path: Path, report: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(SCRIPT)],
        input=report,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def test_only_the_reported_ignores_and_codes_go(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    report = "\n".join(
        [
            'm.py:1: error: Unused "type: ignore" comment  [unused-ignore]',
            'm.py:2: error: Unused "type: ignore[list-item]" comment  [unused-ignore]',
            'm.py:4:20: error: Unused "type: ignore" comment  [unused-ignore]',
            'm.py:6: error: Unused "type: ignore" comment  [unused-ignore]',
            'm.py:3: error: "Case" has no attribute "x"  [attr-defined]',
            "Found 5 errors in 1 file (checked 1 source file)",
        ]
    )

    result = _run(tmp_path, report)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "m.py").read_text() == (
        "def f(world) -> None:\n"
        "    x = g()  # type: ignore[assignment]\n"
        "    y = h()  # type: ignore[attr-defined]\n"
        "    STATIC = None  # served from the finders\n"
        '    s = "# type: ignore"  # type: ignore[arg-type]\n'
        "    z = k()\n"
    )


def test_a_line_it_cannot_read_with_certainty_is_left_and_named(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    report = "\n".join(
        [
            'm.py:5: error: Unused "type: ignore" comment  [unused-ignore]',
            'm.py:6: error: Unused "type: ignore" comment  [unused-ignore]',
        ]
    )

    result = _run(tmp_path, report)

    assert result.returncode == 1
    assert "m.py:5: left as it is" in result.stderr
    lines = (tmp_path / "m.py").read_text().splitlines()
    assert lines[4] == '    s = "# type: ignore"  # type: ignore[arg-type]'
    assert lines[5] == "    z = k()"
