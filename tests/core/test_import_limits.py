"""Imports refuse a file over the size cap before reading it, and a NUL byte with its line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from factories import EstablishmentFactory

from cme.calendars.models import TermDates
from cme.calendars.services import term_dates_import
from cme.checks.imports import ImportRejected, ems_import, lost_pupils_import
from cme.checks.models import LostPupil, PupilOnRoll
from cme.core.files import FileTooLarge, read_capped
from cme.rules import CalendarError
from cme.schools.models import Establishment
from cme.schools.services import ImportRejected as EstablishmentsRejected
from cme.schools.services import establishments_import

pytestmark = pytest.mark.django_db
EMS_HEADER = "laestab,forename,surname,date_of_birth\n"


@pytest.fixture
def huge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 60 MB file that takes no disk space, and proof that nobody reads it."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)

    def never(self: Path) -> bytes:
        raise AssertionError(f"{self.name} was read before its size was checked")

    monkeypatch.setattr(Path, "read_bytes", never)
    return path


def test_each_import_refuses_a_file_over_the_cap_unread(huge: Path) -> None:
    says = "the file is 60.0 MB, more than the 25 MB this register accepts"
    with pytest.raises(ImportRejected, match=says + r".*CME_IMPORT_MAX_MB"):
        ems_import(file=huge)
    with pytest.raises(ImportRejected, match=says):
        lost_pupils_import(files=[huge])
    with pytest.raises(CalendarError, match="huge.csv: " + says):
        term_dates_import(path=huge)
    assert not (PupilOnRoll.objects.exists() or LostPupil.objects.exists())
    assert not TermDates.objects.exists()


def test_the_caps_are_settings(settings: Any, huge: Path) -> None:
    settings.CME_ESTABLISHMENTS_IMPORT_MAX_MB = 50
    with pytest.raises(EstablishmentsRejected, match=r"more than the 50 MB.*ESTABLISHMENTS"):
        establishments_import(file=huge)
    assert not Establishment.objects.exists()
    settings.CME_IMPORT_MAX_MB = 0.001  # about a kilobyte
    with pytest.raises(ImportRejected, match=r"more than the 0\.001 MB"):
        ems_import(file=(EMS_HEADER + "3412001,Amy,Lee,2015-02-03\n" * 100).encode())


def test_a_stream_is_measured_before_it_is_read(settings: Any) -> None:
    settings.CME_IMPORT_MAX_MB = 0.001
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(FileTooLarge):
        read_capped(stream)
    assert stream.tell() == 0  # nothing read
    assert read_capped(io.BytesIO(b"small")) == b"small"


def test_a_nul_byte_in_an_ems_file_is_refused_with_its_line() -> None:
    EstablishmentFactory.create(laestab="3412001", establishment_number="2001")
    data = (EMS_HEADER + "3412001,Amy,Lee,2015-02-03\n3412001,Ben\x00,Lee,2015-02-03\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        ems_import(file=data, name="ems.csv")
    (problem,) = rejected.value.problems
    assert problem.where == "line 3" and "NUL character" in problem.message
    assert "export it from the MIS again" in problem.message
    assert not PupilOnRoll.objects.exists()


def test_a_nul_byte_in_term_dates_or_establishments_is_refused_with_its_line(
    tmp_path: Path,
) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_bytes(b"kind,first_day,last_day,note\nterm,2026-09-01,2026-12-18,a\x00b\n")
    with pytest.raises(CalendarError, match=r"terms\.csv line 2: has a NUL character"):
        term_dates_import(path=terms)
    gias = b"URN,LA (code)\n100000,341\n100001\x00,341\n"
    with pytest.raises(EstablishmentsRejected, match="line 3: This line has a NUL character"):
        establishments_import(file=gias)
