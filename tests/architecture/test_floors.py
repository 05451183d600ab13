"""The floors of docs/architecture.md hold: the import-linter contracts keep, and an upward
import, a pure package importing Django or an app left off the floors breaks them.

Each breaking case copies the Python files of `cme` into a temporary directory, adds one module
and runs `lint-imports` there with the project's own contracts (pyproject.toml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(LINT_IMPORTS), "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The project's Python files and contracts, in a directory of their own."""
    shutil.copytree(
        ROOT / "cme",
        tmp_path / "cme",
        ignore=shutil.ignore_patterns("static", "templates", "data", "__pycache__", "*.html"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add(copy: Path, module: str, source: str) -> None:
    path = copy.joinpath(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    for parent in path.parents:
        if parent == copy:
            break
        (parent / "__init__.py").touch()
    path.write_text(source)


def test_the_project_keeps_its_contracts(copy: Path) -> None:
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_upward_import_breaks_the_floors(copy: Path) -> None:
    _add(copy, "cme.cases.probe", "from cme.worklist import selectors  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.cases is not allowed to import cme.worklist" in result.stdout
    assert "cme.cases.probe -> cme.worklist.selectors" in result.stdout


def test_one_step_may_not_import_another(copy: Path) -> None:
    _add(copy, "cme.plans.probe", "from cme.checks import models  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.plans is not allowed to import cme.checks" in result.stdout


def test_a_coming_app_is_held_to_its_floor_once_it_exists(copy: Path) -> None:
    # enquiries is on the policy steps' floor before it exists; once it does, it may not
    # reach up to the API.
    _add(copy, "cme.enquiries.services", "from cme.api import views  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.enquiries is not allowed to import cme.api" in result.stdout


def test_a_pure_package_may_not_import_django(copy: Path) -> None:
    _add(copy, "cme.rules.probe", "import django  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.rules.probe -> django" in result.stdout


def test_ctf_is_pure_once_it_exists(copy: Path) -> None:
    _add(copy, "cme.ctf.reader", "from django.conf import settings  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.ctf.reader -> django" in result.stdout


def test_an_app_left_off_the_floors_is_refused(copy: Path) -> None:
    _add(copy, "cme.newapp.models", "")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.newapp" in result.stdout


def test_the_settings_import_no_app(copy: Path) -> None:
    _add(copy, "cme.settings.probe", "from cme.api import views  # noqa\n")
    result = _lint(copy)
    assert result.returncode == 1
    assert "cme.settings.probe -> cme.api.views" in result.stdout
